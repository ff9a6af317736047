//go:build !linux

package hostproxy

import "syscall"

// EndWithParent: only Linux can tie a child's life to its parent's; elsewhere the CLI's own clean-up applies.
//
// Example:
//
//	cmd.SysProcAttr = hostproxy.EndWithParent()
func EndWithParent() *syscall.SysProcAttr { return nil }
