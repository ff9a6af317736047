package hostproxy

import "syscall"

// EndWithParent makes a child process end when this host does: the CLI ends a language host by
// killing it, which leaves no chance to stop the children by hand.
//
// Example:
//
//	cmd.SysProcAttr = hostproxy.EndWithParent()
func EndWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
