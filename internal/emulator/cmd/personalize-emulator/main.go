// Command personalize-emulator serves a local stand-in for the Amazon
// Personalize API of batch jobs, solution versions and dataset imports, for
// tests, demos and offline work.
//
//	go run ./internal/emulator/cmd/personalize-emulator --listen 127.0.0.1:4599
//
// Point clients at it with AWS_ENDPOINT_URL=http://127.0.0.1:4599 (or
// AWS_ENDPOINT_URL_PERSONALIZE) and any credentials.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("personalize-emulator", flag.ContinueOnError)
	flags.SetOutput(stderr)
	listen := flags.String("listen", "127.0.0.1:4599", "address to listen on (loopback by default; port 0 picks a free one)")
	region := flags.String("region", "us-east-1", "region of the emulated service and its ARNs")
	account := flags.String("account-id", "123456789012", "account ID in ARNs and GetCallerIdentity")
	jobDuration := flags.Duration("job-duration", 2*time.Second, "time from create to ACTIVE of batch inference and batch segment jobs")
	maxRunning := flags.Int("max-running-jobs", 5, "batch inference jobs that may be PENDING or IN PROGRESS at once (LimitExceededException beyond)")
	maxRunningSegment := flags.Int("max-running-segment-jobs", 5, "batch segment jobs that may be PENDING or IN PROGRESS at once (a quota of their own)")
	importDuration := flags.Duration("import-duration", 2*time.Second, "time from CreateDatasetImportJob to ACTIVE")
	maxRunningImports := flags.Int("max-running-imports", 5, "dataset import jobs that may be CREATE PENDING or CREATE IN_PROGRESS at once (LimitExceededException beyond)")
	trainingDuration := flags.Duration("training-duration", 2*time.Second, "time from CreateSolutionVersion to ACTIVE")
	maxRunningTrainings := flags.Int("max-running-trainings", 20, "solution versions that may be CREATE PENDING or CREATE IN_PROGRESS at once (LimitExceededException beyond)")
	s3Dir := flags.String("s3-dir", "", "local S3 root, made if missing: s3://bucket/key is DIR/bucket/key; batch jobs then read input and write output there, and dataset imports read their CSV files")
	stateFile := flags.String("state-file", "", "file that keeps jobs, trained solution versions and tags across restarts")
	accessKey := flags.String("access-key", "", "access key ID whose SigV4 signatures are verified (with --secret-key)")
	secretKey := flags.String("secret-key", "", "secret access key for signature verification")
	latency := flags.Duration("latency", 0, "time every Personalize call takes before it is answered, e.g. 100ms")
	jitter := flags.Duration("latency-jitter", 0, "up to this much more latency, drawn per call")
	rateLimits := map[string]float64{}
	flags.Func("rate-limit", "OPERATION=CALLS_PER_SECOND, e.g. DescribeBatchInferenceJob=10 (repeatable; * for every operation): calls beyond it get ThrottlingException", func(v string) error {
		op, rate, ok := strings.Cut(v, "=")
		if !ok || op == "" {
			return fmt.Errorf("%q: want OPERATION=CALLS_PER_SECOND, e.g. ListBatchInferenceJobs=10", v)
		}
		r, err := strconv.ParseFloat(rate, 64)
		if err != nil {
			return fmt.Errorf("%q: %q is not a number of calls per second", v, rate)
		}
		rateLimits[op] = r
		return nil
	})
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "personalize-emulator: unexpected arguments %q; all settings are flags (see -h)\n", flags.Args())
		return 2
	}
	logger := log.New(stderr, "", log.LstdFlags|log.Lmicroseconds)
	faults := emulator.Faults{
		LatencyMS:       int(latency.Milliseconds()),
		LatencyJitterMS: int(jitter.Milliseconds()),
		RateLimits:      rateLimits,
	}
	if err := faults.Validate(); err != nil {
		fmt.Fprintf(stderr, "personalize-emulator: %v\n", err)
		return 2
	}

	em, err := emulator.New(emulator.Config{
		Region:                *region,
		AccountID:             *account,
		JobDuration:           *jobDuration,
		MaxRunningJobs:        *maxRunning,
		MaxRunningSegmentJobs: *maxRunningSegment,
		ImportDuration:        *importDuration,
		MaxRunningImportJobs:  *maxRunningImports,
		TrainingDuration:      *trainingDuration,
		MaxRunningTrainings:   *maxRunningTrainings,
		S3Dir:                 *s3Dir,
		StateFile:             *stateFile,
		AccessKey:             *accessKey,
		SecretKey:             *secretKey,
	})
	if err != nil {
		fmt.Fprintf(stderr, "personalize-emulator: %v\n", err)
		return 1
	}
	defer func() {
		if err := em.Close(); err != nil {
			logger.Printf("closing: %v", err)
		}
	}()
	em.SetFaults(faults)
	// Config treats zero as "use the default"; an explicit 0 on the command
	// line means instant jobs or no free places, so apply it after New.
	flags.Visit(func(f *flag.Flag) {
		switch {
		case f.Name == "job-duration" && *jobDuration == 0:
			em.SetJobDuration(0)
		case f.Name == "max-running-jobs" && *maxRunning == 0:
			em.SetMaxRunningJobs(0)
		case f.Name == "max-running-segment-jobs" && *maxRunningSegment == 0:
			em.SetMaxRunningSegmentJobs(0)
		case f.Name == "import-duration" && *importDuration == 0:
			em.SetImportDuration(0)
		case f.Name == "max-running-imports" && *maxRunningImports == 0:
			em.SetMaxRunningImportJobs(0)
		case f.Name == "training-duration" && *trainingDuration == 0:
			em.SetTrainingDuration(0)
		case f.Name == "max-running-trainings" && *maxRunningTrainings == 0:
			em.SetMaxRunningTrainings(0)
		}
	})

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "personalize-emulator: listen: %v\n", err)
		return 1
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		logger.Printf("warning: listening on %s, reachable from other machines; the emulator is for local use", ln.Addr())
	}
	srv := &http.Server{
		Handler:           logRequests(em, logger),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())

	select {
	case err := <-served:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(stderr, "personalize-emulator: %v\n", err)
			return 1
		}
	case <-ctx.Done():
		logger.Printf("shutting down")
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
	}
	return 0
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// logRequests writes one line per request: what was called and how it ended.
func logRequests(next http.Handler, logger *log.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		what := r.URL.Path
		if target := r.Header.Get("X-Amz-Target"); target != "" {
			what = strings.TrimPrefix(target, "AmazonPersonalize.")
		} else if strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "application/x-www-form-urlencoded") {
			what = "sts"
		}
		line := fmt.Sprintf("%s %s %d %s", r.Method, what, rec.status, time.Since(start).Round(time.Microsecond))
		if errType := rec.Header().Get("X-Amzn-ErrorType"); errType != "" {
			line += " " + errType
		}
		logger.Print(line)
	})
}
