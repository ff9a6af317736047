"use strict";
const pulumi = require("@pulumi/pulumi");

// A provider that echoes its input: nothing but the engine's own machinery is under test here.
const echoProvider = {
  async create(inputs) {
    return { id: `echo-${inputs.text}`, outs: { ...inputs, length: inputs.text.length } };
  },
  async update(_id, _olds, news) {
    return { outs: { ...news, length: news.text.length } };
  },
  async diff(_id, olds, news) {
    return { changes: olds.text !== news.text };
  },
};

class Echo extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(echoProvider, name, { ...args, length: undefined }, opts, "smoke", "Echo");
  }
}

const config = new pulumi.Config();
const echo = new Echo("echo", { text: config.get("text") || "hello" });
exports.length = echo.length;
exports.echoId = echo.id;
