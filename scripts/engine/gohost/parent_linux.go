package main

import "syscall"

// endWithParent makes a child process end when this host does: the CLI ends a language host by
// killing it, which leaves no chance to stop the children by hand.
func endWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
