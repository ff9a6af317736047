//go:build tools

// Package golang pins the Go language host. Since v3.67 it lives in a module of its own
// (sdk/go/pulumi-language-go/v3) that the module proxy does not serve; sdk/v3 v3.66.0 is the newest
// release that carries it as a package. The CLI v3.259 no longer passes runtime options (such as
// `binary`) as flags: scripts/engine/gohost, installed under the host's name, starts this one with them.
package golang

import (
	_ "github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go"
)
