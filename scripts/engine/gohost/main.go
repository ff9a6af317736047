// Command pulumi-language-go is the Go language host that `npm run engine` installs when it builds
// the engine from Go modules.
//
// The newest Go host the module proxy serves (sdk/v3 v3.66.0, scripts/engine/golang) reads the
// runtime option `binary` (a program compiled beforehand, run as it is instead of `go build` at
// every run) from a command-line flag, which the CLI v3.259 no longer passes: it sends the options
// with each request. This host starts that v3.66.0 host beside it and forwards every call to it
// unchanged, byte for byte (scripts/engine/hostproxy), except a Run whose options name a binary,
// which goes to a second v3.66.0 host started with `-binary` (run.go). Everything else runs exactly
// as the v3.66.0 host runs it.
//
// Usage (as the CLI starts any language host): pulumi-language-go [flags...] <engine address>
// The flags and the engine address are handed to the v3.66.0 host as they are.
package main

import (
	"pulumi-cloudflare-sharing/engine/hostproxy"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// innerHostPath is where `npm run engine` installs the v3.66.0 host: in a folder of its own beside
// this executable, so that nothing looking for `pulumi-language-*` plugins mistakes it for a language.
const innerHostPath = "go-host-v3.66.0/pulumi-language-go"

func main() {
	hostproxy.Wrapper{
		Name:       "pulumi-language-go",
		InnerLabel: "Go host",
		InnerPath:  innerHostPath,
		Method:     pulumirpc.LanguageRuntime_Run_FullMethodName,
		Answer:     runBinary,
	}.Main()
}
