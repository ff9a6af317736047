//go:build tools

// Package langhost pins the Node.js and Python language hosts. Since v3.69 each lives in a module
// of its own (sdk/nodejs/cmd/pulumi-language-nodejs/v3, sdk/python/cmd/pulumi-language-python/v3)
// that has no tags and that the module proxy does not serve; sdk/v3 v3.68.0 is the newest release
// that carries both as packages. Both speak the language-host protocol that CLI v3.259 uses.
package langhost

import (
	_ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
	_ "github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python"
)
