/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-core.h: the umbrella header of Sichtung's core library. */
#pragma once

#include "sc-error.h"
#include "sc-json.h"
#include "sc-document.h"
#include "sc-quant.h"
#include "sc-gguf.h"
#include "sc-graph.h"
#include "sc-vulkan.h"
#include "sc-backend.h"
#include "sc-tokenizer.h"
#include "sc-finding.h"
#include "sc-dates.h"
#include "sc-recognizers.h"
#include "sc-model.h"
#include "sc-encoder.h"
#include "sc-ner.h"
#include "sc-explain.h"
#include "sc-analysis.h"
#include "sc-sampler.h"
#include "sc-store.h"
