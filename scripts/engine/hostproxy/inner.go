package hostproxy

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"google.golang.org/grpc"
)

// Inner is a running older host that a wrapper forwards to.
type Inner struct {
	// Label names it in errors ("Go host").
	Label string
	// Path and Args are how it was started.
	Path string
	Args []string
	Cmd  *exec.Cmd
	// Conn reaches the address it printed.
	Conn *grpc.ClientConn
}

// StartInner runs the host at `path` with `args` and connects to the address it listens on, read
// from the first line it prints. Anything it prints later goes to this process's standard output.
//
// Example:
//
//	inner, err := hostproxy.StartInner("Go host", "/bin/go-host-v3.66.0/pulumi-language-go", os.Args[1:])
func StartInner(label, path string, args []string) (*Inner, error) {
	cmd := exec.Command(path, args...)
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = EndWithParent()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the %s %s: %w", label, path, err)
	}
	reader := bufio.NewReader(stdout)
	line, err := reader.ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("the %s %s printed no port: %w", label, path, err)
	}
	// Anything it prints later goes where it would have gone without a wrapper in between.
	go func() { _, _ = reader.WriteTo(os.Stdout) }()
	conn, err := grpc.NewClient("127.0.0.1:"+strings.TrimSpace(line), grpc.WithTransportCredentials(insecureCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{}), grpc.MaxCallRecvMsgSize(MaxMessageSize)))
	if err != nil {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("connecting to the %s: %w", label, err)
	}
	return &Inner{Label: label, Path: path, Args: args, Cmd: cmd, Conn: conn}, nil
}

// StartAnother runs a second host from the same file, with `leading` before the arguments this one
// was given.
//
// Example:
//
//	second, err := inner.StartAnother("-binary=" + binary)
//	defer second.Stop()
func (h *Inner) StartAnother(leading ...string) (*Inner, error) {
	return StartInner(h.Label, h.Path, append(append([]string(nil), leading...), h.Args...))
}

// Stop closes the connection and ends the host.
//
// Example:
//
//	defer second.Stop()
func (h *Inner) Stop() {
	_ = h.Conn.Close()
	_ = h.Cmd.Process.Kill()
	_ = h.Cmd.Wait()
}
