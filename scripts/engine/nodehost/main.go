// Command pulumi-language-nodejs is the Node.js language host that `npm run engine` installs when it
// builds the engine from Go modules.
//
// The newest Node.js host the module proxy serves (sdk/v3 v3.68.0) runs programs well but has no
// RunPlugin, which the CLI uses to start a Node.js policy pack (`pulumi preview --policy-pack`). This
// host starts that v3.68.0 host beside it and forwards every call to it unchanged, byte for byte
// (scripts/engine/hostproxy), except RunPlugin for policy packs, which it answers itself
// (runplugin.go). Programs therefore run exactly as before.
//
// Usage (as the CLI starts any language host): pulumi-language-nodejs [flags...] <engine address>
// The flags and the engine address are handed to the v3.68.0 host as they are.
package main

import (
	"pulumi-cloudflare-sharing/engine/hostproxy"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// innerHostPath is where `npm run engine` installs the v3.68.0 host: in a folder of its own beside
// this executable, so that nothing looking for `pulumi-language-*` plugins mistakes it for a language.
const innerHostPath = "nodejs-host-v3.68.0/pulumi-language-nodejs"

func main() {
	hostproxy.Wrapper{
		Name:       "pulumi-language-nodejs",
		InnerLabel: "Node.js host",
		InnerPath:  innerHostPath,
		Method:     pulumirpc.LanguageRuntime_RunPlugin_FullMethodName,
		Answer:     runPolicyPack,
	}.Main()
}
