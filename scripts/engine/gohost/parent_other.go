//go:build !linux

package main

import "syscall"

// endWithParent: only Linux can tie a child's life to its parent's; elsewhere the CLI's own clean-up applies.
func endWithParent() *syscall.SysProcAttr { return nil }
