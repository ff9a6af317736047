//go:build tools

// Package cli pins the Pulumi CLI so that `go build` can build it from the module proxy.
// pkg/v3's own go.mod has replace lines (which `go install pkg@version` refuses); a
// dependency's replace lines are ignored, so the one the code needs is copied into go.mod.
package cli

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
