package main

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"

	"pulumi-cloudflare-sharing/engine/hostproxy"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// analyzerKind is RunPluginRequest.kind for a policy pack.
const analyzerKind = "analyzer"

// policyPackRunner is the script of the Node.js SDK that serves a policy pack to the engine.
const policyPackRunner = "@pulumi/pulumi/cmd/run-policy-pack"

// runPolicyPack starts the Node.js policy pack that `first` (an encoded RunPluginRequest) asks for
// and streams its output back until it ends. It reports handled=false for any other kind of
// plugin, which the v3.68.0 host then answers as it always did.
//
// The pack runs as the official host runs it: `node [nodeargs] run-policy-pack <args...> <pack dir>`,
// in the pack's directory, with the environment the CLI sends; the runner script is the one the
// pack's own dependencies provide.
func runPolicyPack(_ *hostproxy.Inner, stream grpc.ServerStream, first hostproxy.Frame) (handled bool, err error) {
	var req pulumirpc.RunPluginRequest
	if err := proto.Unmarshal(first, &req); err != nil {
		return true, status.Errorf(codes.InvalidArgument, "decoding RunPluginRequest: %v", err)
	}
	if req.GetKind() != analyzerKind {
		return false, nil
	}
	packDir := req.GetInfo().GetProgramDirectory()
	if packDir == "" {
		packDir = req.GetPwd()
	}

	node, err := exec.LookPath("node")
	if err != nil {
		return true, fmt.Errorf("running the policy pack in %s needs node on PATH: %w", packDir, err)
	}
	runner, err := locateModule(node, packDir, policyPackRunner)
	if err != nil {
		return true, err
	}

	options := req.GetInfo().GetOptions().AsMap()
	env := req.GetEnv()
	if typescript, ok := options["typescript"].(bool); ok && typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if tsconfig, ok := options["tsconfig"].(string); ok && tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}
	var args []string
	if nodeargs, ok := options["nodeargs"].(string); ok {
		args = append(args, strings.Fields(nodeargs)...)
	}
	// A policy pack takes its directory last, after the engine address.
	args = append(append(append(args, runner), req.GetArgs()...), packDir)

	cmd := exec.CommandContext(stream.Context(), node, args...)
	cmd.Dir = packDir
	if len(env) > 0 {
		cmd.Env = env
	}
	cmd.SysProcAttr = hostproxy.EndWithParent()
	out := &responseWriter{stream: stream}
	cmd.Stdout = out.writer(func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	})
	cmd.Stderr = out.writer(func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	})
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return true, fmt.Errorf("policy pack %s exited with code %d", packDir, exitErr.ExitCode())
		}
		return true, fmt.Errorf("could not run the policy pack in %s: %w", packDir, err)
	}
	return true, nil
}

// locateModule resolves `module` as a require() in `dir` would: the pack's own dependencies decide.
func locateModule(node, dir, module string) (string, error) {
	cmd := exec.Command(node, "-e", "process.stdout.write(require.resolve(process.argv[1]))", module)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("could not find %s from the policy pack in %s; "+
			"install the pack's dependencies (npm install) there: %w", module, dir, err)
	}
	return string(out), nil
}

// responseWriter turns the pack's output into RunPluginResponse messages, one stream for both
// outputs (a gRPC stream takes one sender at a time).
type responseWriter struct {
	mu     sync.Mutex
	stream grpc.ServerStream
}

type outputFunc func([]byte) (int, error)

func (f outputFunc) Write(b []byte) (int, error) { return f(b) }

func (w *responseWriter) writer(wrap func([]byte) *pulumirpc.RunPluginResponse) outputFunc {
	return func(b []byte) (int, error) {
		encoded, err := proto.Marshal(wrap(append([]byte(nil), b...)))
		if err != nil {
			return 0, err
		}
		message := hostproxy.Frame(encoded)
		w.mu.Lock()
		defer w.mu.Unlock()
		if err := w.stream.SendMsg(&message); err != nil {
			return 0, err
		}
		return len(b), nil
	}
}
