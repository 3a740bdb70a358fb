// Keeps Marp CLI loaded for a `mkdocs serve` session (export/warm.py).
//
// Usage: node marp-worker.js <folder holding node_modules>
//
// Each line on stdin is a job, {"arguments": [...], "cwd": "...", "env": {...}}:
// the arguments Marp CLI's command would get. The jobs run one at a time
// through Marp CLI's own entry point (marpCli), so a job converts exactly as
// the `marp` command does, minus starting Node and loading Marp again. What
// Marp prints during a job is collected and sent back with its exit code as
// one line on stdout, {"code": 0, "output": "..."}.
"use strict";

const path = require("node:path");
const readline = require("node:readline");

const { marpCli } = require(
  path.join(process.argv[2], "node_modules", "@marp-team", "marp-cli"),
);

const reply = process.stdout.write.bind(process.stdout);
const streams = [process.stdout, process.stderr];
const writers = streams.map((stream) => stream.write);

async function run(job) {
  let output = "";
  // Marp logs through console, which writes to these two streams.
  for (const stream of streams) {
    stream.write = (chunk, encoding, callback) => {
      output += typeof chunk === "string" ? chunk : chunk.toString();
      if (typeof encoding === "function") encoding();
      else if (typeof callback === "function") callback();
      return true;
    };
  }
  let code;
  try {
    process.chdir(job.cwd);
    for (const name of Object.keys(process.env)) {
      if (!(name in job.env)) delete process.env[name];
    }
    Object.assign(process.env, job.env);
    code = await marpCli(job.arguments);
  } catch (error) {
    output += `${error && error.stack ? error.stack : error}\n`;
    code = 1;
  } finally {
    streams.forEach((stream, index) => {
      stream.write = writers[index];
    });
  }
  reply(`${JSON.stringify({ code, output })}\n`);
}

// One job at a time: each changes the process's folder and environment.
let queue = Promise.resolve();
readline
  .createInterface({ input: process.stdin })
  .on("line", (line) => {
    queue = queue.then(() => run(JSON.parse(line)));
  })
  .on("close", () => queue.then(() => process.exit(0)));
