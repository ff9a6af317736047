// Command pulumi-language-go is the Go language host that `npm run engine` installs when it builds
// the engine from Go modules.
//
// The newest Go host the module proxy serves (sdk/v3 v3.66.0, scripts/engine/golang) reads the
// runtime option `binary` (a program compiled beforehand, run as it is instead of `go build` at
// every run) from a command-line flag, which the CLI v3.259 no longer passes: it sends the options
// with each request. This host starts that v3.66.0 host beside it and forwards every call to it
// unchanged, byte for byte, except a Run whose options name a binary, which goes to a second
// v3.66.0 host started with `-binary` (run.go). Everything else runs exactly as the v3.66.0 host
// runs it.
//
// Usage (as the CLI starts any language host): pulumi-language-go [flags...] <engine address>
// The flags and the engine address are handed to the v3.66.0 host as they are.
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"google.golang.org/grpc"
)

// innerHostPath is where `npm run engine` installs the v3.66.0 host: in a folder of its own beside
// this executable, so that nothing looking for `pulumi-language-*` plugins mistakes it for a language.
const innerHostPath = "go-host-v3.66.0/pulumi-language-go"

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-go: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	innerPath := filepath.Join(filepath.Dir(self), innerHostPath)
	inner, conn, err := startInnerHost(innerPath, os.Args[1:])
	if err != nil {
		return err
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	server := grpc.NewServer(
		grpc.ForceServerCodec(rawCodec{}),
		grpc.MaxRecvMsgSize(maxMessageSize),
		grpc.UnknownServiceHandler(newForwarder(conn, innerPath, os.Args[1:]).handle),
	)
	// The CLI reads the port from the first line of a plugin's standard output.
	fmt.Printf("%d\n", listener.Addr().(*net.TCPAddr).Port)

	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	exited := make(chan error, 1)
	go func() { exited <- inner.Wait() }()
	select {
	case err := <-served:
		_ = inner.Process.Kill()
		return err
	case err := <-exited:
		// The CLI ends a language host by killing it; the inner host ending first is the same signal.
		server.Stop()
		if exitErr, ok := err.(*exec.ExitError); ok {
			os.Exit(exitErr.ExitCode())
		}
		return err
	}
}

// startInnerHost runs the v3.66.0 host with `args` and returns it with a connection to the address
// it listens on, read from the first line it prints.
func startInnerHost(path string, args []string) (*exec.Cmd, *grpc.ClientConn, error) {
	cmd := exec.Command(path, args...)
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = endWithParent()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("starting the Go host %s: %w", path, err)
	}
	reader := bufio.NewReader(stdout)
	line, err := reader.ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		return nil, nil, fmt.Errorf("the Go host %s printed no port: %w", path, err)
	}
	// Anything it prints later goes where it would have gone without this host in between.
	go func() { _, _ = reader.WriteTo(os.Stdout) }()
	conn, err := grpc.NewClient("127.0.0.1:"+strings.TrimSpace(line), grpc.WithTransportCredentials(insecureCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{}), grpc.MaxCallRecvMsgSize(maxMessageSize)))
	if err != nil {
		_ = cmd.Process.Kill()
		return nil, nil, fmt.Errorf("connecting to the Go host: %w", err)
	}
	return cmd, conn, nil
}
