// SPDX-License-Identifier: GPL-3.0-or-later
// decode.mjs: llama.cpp's (node-llama-cpp, CPU) greedy continuation of given token ids, with
// timings, for compare-decoder.sh and tools/bench/bench-decoder.sh.
//
//   node tools/crosscheck/decode.mjs MODEL.gguf IDS_FILE N_GEN THREADS [TEXT_FILE]
//
// IDS_FILE holds whitespace-separated prompt ids, used as they are. Prints one JSON object:
//   {"continuation": [N_GEN ids], "pp_tok_s", "tg_tok_s", "tokenized": [ids of TEXT_FILE]}
// pp: the prompt minus its last token in one evaluateWithoutGeneratingNewTokens() call;
// tg: the last prompt token plus N_GEN greedy steps (temperature 0, no repeat penalty, EOG
// tokens kept so the run always has N_GEN tokens). Flash attention is off, as in Sichtung.
// llama.cpp runs on the CPU unless $SICHTUNG_LLAMA_GPU=vulkan, which takes node-llama-cpp's
// prebuilt Vulkan binary with every layer offloaded, to compare with `sichtung-cli bench
// --device vulkan` like for like. ggml's Vulkan backend skips CPU-type devices such as Mesa
// lavapipe unless GGML_VK_VISIBLE_DEVICES names them, so that defaults to "0" here (the only
// device where lavapipe is all there is; set it to pick another). A Vulkan run that ends up
// with no layer on the device fails instead of quietly measuring the CPU. The JSON then also
// says "device".
import fs from "node:fs";
import process from "node:process";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

if (process.argv.length < 6) {
  process.stderr.write("usage: decode.mjs MODEL.gguf IDS_FILE N_GEN THREADS [TEXT_FILE]\n");
  process.exit(2);
}
const [modelPath, idsPath, nGenArg, threadsArg, textPath] = process.argv.slice(2);
const nGen = Number(nGenArg);
const threads = Number(threadsArg);
const prompt = fs.readFileSync(idsPath, "utf8").trim().split(/\s+/).map(Number);

const gpu = process.env.SICHTUNG_LLAMA_GPU === "vulkan" ? "vulkan" : false;
if (gpu && process.env.GGML_VK_VISIBLE_DEVICES === undefined)
  process.env.GGML_VK_VISIBLE_DEVICES = "0";
const llama = await getLlama({ gpu, build: "never", logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath, gpuLayers: gpu ? "max" : 0 });
const device = gpu ? (await llama.getGpuDeviceNames()).join(", ") : "cpu";
if (gpu && model.gpuLayers === 0) {
  process.stderr.write("decode.mjs: llama.cpp put no layer on a Vulkan device\n");
  process.exit(1);
}
const context = await model.createContext({
  contextSize: prompt.length + nGen + 16,
  batchSize: Math.max(512, prompt.length),
  threads: { ideal: threads, min: threads },
  flashAttention: false,
  sequences: 1,
});
const sequence = context.getSequence();

const result = { device };
if (textPath !== undefined)
  result.tokenized = Array.from(model.tokenize(fs.readFileSync(textPath, "utf8"), false));

let t0 = performance.now();
if (prompt.length > 1)
  await sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(0, -1));
let t1 = performance.now();
const continuation = [];
if (nGen > 0) {
  for await (const token of sequence.evaluate(prompt.slice(-1), { temperature: 0,
                                                                  yieldEogToken: true })) {
    continuation.push(token);
    if (continuation.length >= nGen)
      break;
  }
}
let t2 = performance.now();
result.continuation = continuation;
result.pp_tok_s = (prompt.length - 1) / ((t1 - t0) / 1000);
result.tg_tok_s = nGen / ((t2 - t1) / 1000);
process.stdout.write(JSON.stringify(result) + "\n");
await context.dispose();
await model.dispose();
await llama.dispose();
