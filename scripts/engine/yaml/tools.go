//go:build tools

// Package yaml pins the Pulumi YAML language host. It is built against the same pkg/v3 release as
// the CLI (scripts/engine/cli), so the two share one build cache and one protocol version.
package yaml

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
