// SPDX-License-Identifier: GPL-3.0-or-later
// tokenize.mjs: llama.cpp's token ids (through node-llama-cpp) for a text file, as JSON.
//
//   node tools/crosscheck/tokenize.mjs MODEL.gguf TEXTFILE
//
// Prints one JSON object: {"lines": [{"text", "plain", "special"}…], "whole": {"plain",
// "special"}}, where "plain" is tokenize(text, false) (special-token texts stay text) and
// "special" tokenize(text, true), both without BOS/EOS, for every line and for the whole file.
import fs from "node:fs";
import process from "node:process";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

if (process.argv.length !== 4) {
  process.stderr.write("usage: tokenize.mjs MODEL.gguf TEXTFILE\n");
  process.exit(2);
}
const [modelPath, textPath] = process.argv.slice(2);
const content = fs.readFileSync(textPath, "utf8");
let lines = content.split("\n");
if (lines.length > 0 && lines[lines.length - 1] === "")
  lines.pop();

const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath, vocabOnly: true });
const ids = (text, special) => Array.from(model.tokenize(text, special));

const result = {
  lines: lines.map((text) => ({ text, plain: ids(text, false), special: ids(text, true) })),
  whole: { plain: ids(content, false), special: ids(content, true) },
};
process.stdout.write(JSON.stringify(result) + "\n");
await model.dispose();
await llama.dispose();
