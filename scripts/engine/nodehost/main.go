// Command pulumi-language-nodejs is the Node.js language host that `npm run engine` installs when it
// builds the engine from Go modules.
//
// The newest Node.js host the module proxy serves (sdk/v3 v3.68.0) runs programs well but has no
// RunPlugin, which the CLI uses to start a Node.js policy pack (`pulumi preview --policy-pack`). This
// host starts that v3.68.0 host beside it and forwards every call to it unchanged, byte for byte,
// except RunPlugin for policy packs, which it answers itself (runplugin.go). Programs therefore run
// exactly as before.
//
// Usage (as the CLI starts any language host): pulumi-language-nodejs [flags...] <engine address>
// The flags and the engine address are handed to the v3.68.0 host as they are.
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

// innerHostPath is where `npm run engine` installs the v3.68.0 host: in a folder of its own beside
// this executable, so that nothing looking for `pulumi-language-*` plugins mistakes it for a language.
const innerHostPath = "nodejs-host-v3.68.0/pulumi-language-nodejs"

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	inner, innerAddress, err := startInnerHost(filepath.Join(filepath.Dir(self), innerHostPath), os.Args[1:])
	if err != nil {
		return err
	}

	conn, err := grpc.NewClient(innerAddress, grpc.WithTransportCredentials(insecureCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{}), grpc.MaxCallRecvMsgSize(maxMessageSize)))
	if err != nil {
		return fmt.Errorf("connecting to the Node.js host: %w", err)
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	server := grpc.NewServer(
		grpc.ForceServerCodec(rawCodec{}),
		grpc.MaxRecvMsgSize(maxMessageSize),
		grpc.UnknownServiceHandler(newForwarder(conn).handle),
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

// startInnerHost runs the v3.68.0 host with the arguments this host was given and returns it with
// the address it listens on, read from the first line it prints.
func startInnerHost(path string, args []string) (*exec.Cmd, string, error) {
	cmd := exec.Command(path, args...)
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = endWithParent()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("starting the Node.js host %s: %w", path, err)
	}
	reader := bufio.NewReader(stdout)
	line, err := reader.ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		return nil, "", fmt.Errorf("the Node.js host %s printed no port: %w", path, err)
	}
	// Anything it prints later goes where it would have gone without this host in between.
	go func() { _, _ = reader.WriteTo(os.Stdout) }()
	return cmd, "127.0.0.1:" + strings.TrimSpace(line), nil
}
