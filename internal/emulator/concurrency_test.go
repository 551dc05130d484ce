package emulator

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/personalize"
)

// Many clients at once, with jobs finishing in the background, control calls
// and a state file: run under -race, every call must succeed and be counted.
func TestEmulator_concurrentClients(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir+"/s3/in/users.json", `{"userId":"1"}`+"\n"+`{"userId":"2"}`+"\n")
	writeFile(t, dir+"/s3/out/.keep", "")
	h := newHarness(t, Config{S3Dir: dir + "/s3", StateFile: dir + "/state.json", JobDuration: 5 * time.Millisecond, MaxRunningJobs: 1000, Now: time.Now})
	const workers, perWorker = 8, 6
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker*5)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				name := fmt.Sprintf("w%d-j%d", w, i)
				in := s3Job(name, fixtureUP, "s3://in/users.json", "s3://out/"+name+"/")
				in.Tags = tagsFrom("worker", fmt.Sprint(w))
				out, err := h.client.CreateBatchInferenceJob(ctx, in)
				if err != nil {
					errs <- err
					continue
				}
				arn := out.BatchInferenceJobArn
				if _, err := h.client.DescribeBatchInferenceJob(ctx, &personalize.DescribeBatchInferenceJobInput{BatchInferenceJobArn: arn}); err != nil {
					errs <- err
				}
				if _, err := h.client.ListBatchInferenceJobs(ctx, &personalize.ListBatchInferenceJobsInput{MaxResults: aws.Int32(5)}); err != nil {
					errs <- err
				}
				if _, err := h.client.TagResource(ctx, &personalize.TagResourceInput{ResourceArn: arn, Tags: tagsFrom("i", fmt.Sprint(i))}); err != nil {
					errs <- err
				}
				if _, err := h.client.ListTagsForResource(ctx, &personalize.ListTagsForResourceInput{ResourceArn: arn}); err != nil {
					errs <- err
				}
				h.em.Stats()
				h.em.SetJobDuration(time.Duration(i) * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st := h.em.Stats()
	n := workers * perWorker
	for _, op := range []string{"CreateBatchInferenceJob", "DescribeBatchInferenceJob", "ListBatchInferenceJobs", "TagResource", "ListTagsForResource"} {
		if st.Calls[op] != n {
			t.Errorf("%s counted %d times, want %d", op, st.Calls[op], n)
		}
	}
	if st.Jobs != n {
		t.Errorf("%d jobs, want %d", st.Jobs, n)
	}
	// Every job finishes, with its output.
	deadline := time.Now().Add(10 * time.Second)
	for _, name := range []string{"w0-j0", fmt.Sprintf("w%d-j%d", workers-1, perWorker-1)} {
		for {
			j := h.describe(jobARNPrefix + name)
			if aws.ToString(j.Status) == "ACTIVE" {
				readResults(t, dir+"/s3/out/"+name+"/users.json.out")
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s still %s", name, aws.ToString(j.Status))
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}
