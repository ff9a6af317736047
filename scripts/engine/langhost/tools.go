//go:build tools

// Package langhost pins the Node.js language host. Since v3.69 it lives in a module of its
// own (sdk/nodejs/cmd/pulumi-language-nodejs/v3) that has no tags and that the module proxy
// does not serve; sdk/v3 v3.68.0 is the newest release that carries it as a package.
package langhost

import (
	_ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
)
