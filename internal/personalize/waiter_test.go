package personalize

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
	awstypes "github.com/aws/aws-sdk-go-v2/service/personalize/types"

	"github.com/tfpersonalize/terraform-provider-personalize/internal/emulator"
)

// waiterEmulator is an emulator whose jobs run for an hour, and a client for it.
func waiterEmulator(t *testing.T) (*emulator.Emulator, *personalize.Client) {
	t.Helper()
	return pollerEmulator(t, time.Hour, 0)
}

// A job that never shows up must not hold an apply for the whole create
// timeout: after the visibility window the wait ends with an error saying so.
func TestWaitBatchInferenceJob_givesUpOnAJobThatNeverAppears(t *testing.T) {
	_, conn := waiterEmulator(t)
	old := visibilityWindow
	visibilityWindow = 1500 * time.Millisecond
	t.Cleanup(func() { visibilityWindow = old })

	start := time.Now()
	job, err := waitJob(t.Context(), batchInferenceJobKind, nil, conn, "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/never-made", nil, jobFinished)
	if job != nil || err == nil || !strings.Contains(err.Error(), "still not found") {
		t.Fatalf("wait for a job that never appears: job %v, error %v; want no job and a not-found error", job, err)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("waited %s for a job that never appears, want about the visibility window", waited)
	}
}

// A job that was seen and then vanishes ends the wait at once.
func TestWaitBatchInferenceJob_reportsAJobThatDisappears(t *testing.T) {
	em, conn := waiterEmulator(t)
	_, err := conn.CreateBatchInferenceJob(t.Context(), &personalize.CreateBatchInferenceJobInput{
		JobName:            aws.String("vanishing"),
		SolutionVersionArn: aws.String("arn:aws:personalize:us-east-1:123456789012:solution/demo-user-personalization/1a2b3c4d"),
		RoleArn:            aws.String("arn:aws:iam::123456789012:role/PersonalizeBatch"),
		JobInput:           &awstypes.BatchInferenceJobInput{S3DataSource: &awstypes.S3DataConfig{Path: aws.String("s3://bucket/input/")}},
		JobOutput:          &awstypes.BatchInferenceJobOutput{S3DataDestination: &awstypes.S3DataConfig{Path: aws.String("s3://bucket/output/")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/vanishing"

	done := make(chan error, 1)
	go func() {
		_, err := waitJob(t.Context(), batchInferenceJobKind, nil, conn, arn, nil, jobFinished)
		done <- err
	}()
	time.Sleep(300 * time.Millisecond) // the first Describe sees the job running
	em.Reset()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "disappeared") {
			t.Fatalf("wait ended with %v, want an error saying the job disappeared", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the wait went on after the job disappeared")
	}
}

// outageServer serves an emulator on a fixed loopback port that can go down
// (connections refused) and come back.
type outageServer struct {
	t    *testing.T
	em   *emulator.Emulator
	addr string
	srv  *http.Server
	// dropping makes the server close every connection it accepts
	// without answering, as a server killed mid-request does.
	dropping atomic.Bool
}

func newOutageServer(t *testing.T, em *emulator.Emulator) *outageServer {
	s := &outageServer{t: t, em: em, addr: "127.0.0.1:0"}
	s.up()
	t.Cleanup(s.down)
	return s
}

func (s *outageServer) up() {
	var ln net.Listener
	var err error
	// The port of a server just closed can take a moment to be free again.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if ln, err = net.Listen("tcp", s.addr); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		s.t.Fatalf("listening on %s again: %v", s.addr, err)
	}
	s.addr = ln.Addr().String()
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
}

func (s *outageServer) serve(w http.ResponseWriter, r *http.Request) {
	if s.dropping.Load() {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	s.em.ServeHTTP(w, r)
}

func (s *outageServer) down() { _ = s.srv.Close() }

// client makes one attempt per call, so that every look during an outage
// fails at once, as calls do once the provider has given up on an endpoint.
func (s *outageServer) client() *personalize.Client {
	return personalize.New(personalize.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String("http://" + s.addr),
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1,
	}, ReportUnreachableEndpoint("endpoints.personalize", nil))
}

// outageJob starts a job that runs until finish is called, behind a server
// that can go down, and waits for it in the background.
func outageJob(t *testing.T) (srv *outageServer, finish func(), done chan error) {
	t.Helper()
	var offset atomic.Int64
	em, err := emulator.New(emulator.Config{JobDuration: time.Hour, Now: func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = em.Close() })
	srv = newOutageServer(t, em)
	conn := srv.client()
	if _, err := conn.CreateBatchInferenceJob(t.Context(), pollerRequest("outage", pollerSolutionVersion)); err != nil {
		t.Fatal(err)
	}
	done = make(chan error, 1)
	go func() {
		job, err := waitJob(t.Context(), batchInferenceJobKind, nil, conn, "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/outage", nil, jobFinished)
		if err == nil && aws.ToString(job.Status) != statusActive {
			err = fmt.Errorf("the wait ended with the job %s", aws.ToString(job.Status))
		}
		done <- err
	}()
	time.Sleep(500 * time.Millisecond) // the wait has described the job and polls it
	return srv, func() { offset.Add(int64(time.Hour)) }, done
}

// An endpoint that stops answering for a few seconds while a job runs
// does not end the wait: the job is picked up again when it answers. It
// may refuse connections (nothing listens), or drop those it accepts
// without answering (a server killed while it reads requests).
func TestWaitBatchInferenceJob_ridesOutAnEndpointOutage(t *testing.T) {
	for _, c := range []struct {
		name     string
		out, off func(*outageServer)
	}{
		{"connections refused", (*outageServer).down, (*outageServer).up},
		{"connections dropped unanswered", func(s *outageServer) { s.dropping.Store(true) }, func(s *outageServer) { s.dropping.Store(false) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, finish, done := outageJob(t)
			c.out(srv)
			time.Sleep(3 * time.Second) // several polls and describes get no answer
			select {
			case err := <-done:
				t.Fatalf("the wait ended during the outage: %v", err)
			default:
			}
			c.off(srv)
			finish()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("the wait across the outage failed: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("the wait did not see the job finish after the endpoint answered again")
			}
		})
	}
}

// An endpoint that stays silent ends the wait after outageWindow, saying
// which endpoint does not answer.
func TestWaitBatchInferenceJob_givesUpOnAnEndpointThatStaysSilent(t *testing.T) {
	old := outageWindow
	outageWindow = 2 * time.Second
	t.Cleanup(func() { outageWindow = old })
	srv, _, done := outageJob(t)
	srv.down()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "cannot reach the Personalize endpoint http://"+srv.addr) || !strings.Contains(err.Error(), "no answer for") {
			t.Fatalf("the wait ended with %v, want the silent endpoint named", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the wait went on for an endpoint silent far beyond the outage window")
	}
}

// Jobs whose requests leave num_results and batch_inference_job_config to
// the service: two jobs of each request shape are described, and every job's
// state after the wait is what Describe says of it.
func TestWaitSubmitted_learnsWhatTheServiceFillsInOncePerRequestShape(t *testing.T) {
	em, conn := pollerEmulator(t, time.Second, 3)
	const perShape = 15
	var arns []string
	var reqs []*personalize.CreateBatchInferenceJobInput
	for i := range 2 * perShape {
		req := pollerRequest(fmt.Sprintf("documented-%d", i), pollerSolutionVersion)
		req.BatchInferenceJobConfig = nil
		req.NumResults = nil
		if i%2 == 1 {
			// Another shape: the service fills in less.
			req.NumResults = aws.Int32(7)
		}
		out, err := conn.CreateBatchInferenceJob(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		arns, reqs = append(arns, aws.ToString(out.BatchInferenceJobArn)), append(reqs, req)
	}
	jobs := make([]*awstypes.BatchInferenceJob, len(arns))
	errs := make([]error, len(arns))
	pd := &ProviderData{}
	var wg sync.WaitGroup
	for i := range arns {
		wg.Go(func() {
			jobs[i], errs[i] = waitSubmitted(t.Context(), batchInferenceJobKind, pd, conn, arns[i], reqs[i], false, jobFinished)
		})
	}
	wg.Wait()
	requireAllActive(t, arns, jobs, errs)
	if n := em.Stats().Calls["DescribeBatchInferenceJob"]; n != 2*shapeSamples {
		t.Errorf("%d Describe calls for %d jobs of 2 request shapes, want %d for each shape", n, len(arns), shapeSamples)
	}
	requireAsDescribed(t, conn, arns, jobs, func(i int, described *awstypes.BatchInferenceJob) {
		if described.NumResults == nil {
			t.Errorf("job %s: Describe reports no num_results; the service fills it in", arns[i])
		}
	})
}

// Two jobs of one shape whose descriptions do not follow from each other's
// (the service's defaults are not a function of the request): the shape is
// not learned, and every job of it is described.
func TestLearnedShape_samplesThatDisagreeLeaveEveryJobToDescribe(t *testing.T) {
	k := batchInferenceJobKind
	req := func(name string) *awstypes.BatchInferenceJob {
		return &awstypes.BatchInferenceJob{JobName: aws.String(name), SolutionVersionArn: aws.String(pollerSolutionVersion)}
	}
	described := func(name string, n int32) *awstypes.BatchInferenceJob {
		j := req(name)
		j.NumResults, j.Status, j.BatchInferenceJobArn = aws.Int32(n), aws.String(statusActive), aws.String("arn:"+name)
		return j
	}
	agree := samplesAgree(k)
	for _, c := range []struct {
		name   string
		n1, n2 int32
		learn  bool
	}{{"agree", 25, 25, true}, {"disagree", 25, 30, false}} {
		l := &learnedShape{changed: make(chan struct{})}
		for range shapeSamples {
			if _, sample, _ := l.next(); !sample {
				t.Fatalf("%s: the first waits of a shape must describe samples", c.name)
			}
		}
		_, sample, changed := l.next()
		if sample || changed == nil {
			t.Fatalf("%s: a third wait must wait for the samples", c.name)
		}
		l.add(shapeSample{requested: req("a"), described: described("a", c.n1)}, agree)
		l.add(shapeSample{requested: req("b"), described: described("b", c.n2)}, agree)
		select {
		case <-changed:
		default:
			t.Fatalf("%s: waits on the shape were not woken", c.name)
		}
		template, sample, changed := l.next()
		switch {
		case c.learn && template == nil:
			t.Errorf("%s: samples that agree did not teach the shape", c.name)
		case !c.learn && (template != nil || sample || changed != nil):
			t.Errorf("%s: samples that disagree must leave every job to Describe, got template %v sample %v", c.name, template, sample)
		}
		if c.learn {
			job := completedJob(k, req("c"), template.(*awstypes.BatchInferenceJob))
			if aws.ToInt32(job.NumResults) != 25 || job.BatchInferenceJobArn != nil || job.Status != nil || aws.ToString(job.JobName) != "c" {
				t.Errorf("completed job %+v: want the learned num_results and nothing a List summary reports", job)
			}
		}
	}
}

// A sample whose wait ends before it describes its job hands its place to
// another wait.
func TestLearnedShape_anAbandonedSampleIsTakenOver(t *testing.T) {
	l := &learnedShape{changed: make(chan struct{})}
	l.next()
	l.next()
	_, _, changed := l.next()
	l.abandon()
	<-changed
	if _, sample, _ := l.next(); !sample {
		t.Error("after a sample was abandoned, the next wait did not take its place")
	}
}

// Requests that differ in the job's name, input and output are of one
// shape; another solution version or a stated argument is another.
func TestRequestShape_ignoresOnlyTheJobsOwnData(t *testing.T) {
	k := batchInferenceJobKind
	shape := func(edit func(*personalize.CreateBatchInferenceJobInput)) string {
		req := pollerRequest("a", pollerSolutionVersion)
		req.NumResults, req.BatchInferenceJobConfig = nil, nil
		edit(req)
		job, _ := k.fromRequest(req)
		s, err := requestShape(k, job)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	base := shape(func(*personalize.CreateBatchInferenceJobInput) {})
	if s := shape(func(r *personalize.CreateBatchInferenceJobInput) {
		r.JobName = aws.String("b")
		r.JobInput.S3DataSource.Path = aws.String("s3://other/in.json")
		r.JobOutput.S3DataDestination.Path = aws.String("s3://other/out/")
	}); s != base {
		t.Errorf("name, input and output changed the shape:\n%s\n%s", base, s)
	}
	for name, edit := range map[string]func(*personalize.CreateBatchInferenceJobInput){
		"solution version": func(r *personalize.CreateBatchInferenceJobInput) {
			r.SolutionVersionArn = aws.String(pollerOtherVersion)
		},
		"num_results": func(r *personalize.CreateBatchInferenceJobInput) { r.NumResults = aws.Int32(5) },
		"mode": func(r *personalize.CreateBatchInferenceJobInput) {
			r.BatchInferenceJobMode = awstypes.BatchInferenceJobModeThemeGeneration
		},
	} {
		if shape(edit) == base {
			t.Errorf("another %s kept the shape", name)
		}
	}
}

// A wait cut short before it saw its job (Terraform interrupted amid the
// first Describe) still gets the job's status for the state: the last look
// is not bound by the context that ended the wait.
func TestLastLook_describesAfterTheWaitsContextEnded(t *testing.T) {
	_, conn := pollerEmulator(t, time.Hour, 1)
	out, err := conn.CreateBatchInferenceJob(t.Context(), pollerRequest("cut-short", pollerSolutionVersion))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	arn := aws.ToString(out.BatchInferenceJobArn)
	if job, err := waitJob(ctx, batchInferenceJobKind, nil, conn, arn, nil, jobFinished); job != nil || err == nil {
		t.Fatalf("a wait whose context has ended returned %v, %v; want no sighting and an error", job, err)
	}
	job := lastLook(ctx, batchInferenceJobKind, conn, arn)
	if job == nil || !runningStatusOf(aws.ToString(job.Status)) {
		t.Fatalf("the last look after the wait was cut short saw %+v, want the job still running", job)
	}
}

func runningStatusOf(s string) bool { return s == "PENDING" || s == "IN PROGRESS" }
