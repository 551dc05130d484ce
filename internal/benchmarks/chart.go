package benchmarks

import (
	"bytes"
	"fmt"
	"image/color"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Chart draws the scale ratios and the completion latency side by side as a PNG.
func (r Results) Chart() ([]byte, error) {
	var plots []*plot.Plot
	if p, err := r.scaleChart(); err != nil {
		return nil, err
	} else if p != nil {
		plots = append(plots, p)
	}
	if p, err := r.latencyChart(); err != nil {
		return nil, err
	} else if p != nil {
		plots = append(plots, p)
	}
	if len(plots) == 0 {
		return nil, fmt.Errorf("nothing to chart: no scale or latency results")
	}
	img := vgimg.New(vg.Points(float64(450*len(plots))), vg.Points(340))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: len(plots), PadX: vg.Points(30), PadTop: vg.Points(8), PadBottom: vg.Points(8), PadLeft: vg.Points(8), PadRight: vg.Points(12)}
	canvases := plot.Align([][]*plot.Plot{plots}, tiles, dc)
	for i, p := range plots {
		p.Draw(canvases[0][i])
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// scaleChart: one group of bars per N, one bar per operation, and the target.
func (r Results) scaleChart() (*plot.Plot, error) {
	var ns []int
	for _, row := range r.Scale {
		if len(ns) == 0 || ns[len(ns)-1] != row.N {
			ns = append(ns, row.N)
		}
	}
	if len(ns) == 0 {
		return nil, nil
	}
	// Against the minimal framework provider when it was measured (the
	// target), else against terraform_data (reports of older runs).
	value, limit, title := ScaleRow.FloorRatio, r.Limits.FloorOverhead, "provider time / minimal framework provider time"
	for _, row := range r.Scale {
		if len(row.Floor) == 0 {
			value, limit, title = ScaleRow.Ratio, r.Limits.ScaleOverhead, "provider time / terraform_data time"
		}
	}
	if len(r.Scale) > 0 && (r.Scale[0].Config != "" || r.Scale[0].Parallelism != 0) {
		title += " (worst setting)"
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "jobs (N)"
	p.Y.Label.Text = "ratio"
	p.Legend.Top = true
	p.Legend.Left = true
	names := make([]string, len(ns))
	for i, n := range ns {
		names[i] = strconv.Itoa(n)
	}
	ops := []string{OpPlan, OpApply, OpRefresh}
	width := vg.Points(16)
	for k, op := range ops {
		vals := make(plotter.Values, len(ns))
		for i, n := range ns {
			for _, row := range r.Scale {
				if row.N == n && row.Op == op {
					vals[i] = max(vals[i], value(row))
				}
			}
		}
		bars, err := plotter.NewBarChart(vals, width)
		if err != nil {
			return nil, err
		}
		bars.Color = plotutil.Color(k)
		bars.LineStyle.Width = 0
		bars.Offset = width * vg.Length(k-1)
		p.Add(bars)
		p.Legend.Add(op, bars)
	}
	target, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: limit}, {X: float64(len(ns)) - 0.5, Y: limit}})
	if err != nil {
		return nil, err
	}
	target.Color = color.RGBA{R: 200, A: 255}
	target.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(target)
	p.Legend.Add(fmt.Sprintf("target %.2g×", limit), target)
	p.NominalX(names...)
	p.Y.Min = 0
	headroom(p)
	return p, nil
}

// headroom leaves the top of a plot to the legend.
func headroom(p *plot.Plot) {
	p.Y.Max *= 1.4
}

// latencyChart: per job duration, how late completion was noticed (worst
// run) next to what the target allows.
func (r Results) latencyChart() (*plot.Plot, error) {
	if len(r.Latency) == 0 {
		return nil, nil
	}
	p := plot.New()
	p.Title.Text = "completion noticed after ACTIVE (worst run)"
	p.X.Label.Text = "job duration"
	p.Y.Label.Text = "seconds"
	p.Legend.Top = true
	p.Legend.Left = true
	names := make([]string, len(r.Latency))
	noticed := make(plotter.Values, len(r.Latency))
	poll := make(plotter.Values, len(r.Latency))
	allowed := make(plotter.Values, len(r.Latency))
	for i, row := range r.Latency {
		names[i] = fmtDur(row.Duration)
		w := row.Worst()
		noticed[i] = w.Noticed.Seconds()
		poll[i] = max(0, w.PollGap.Seconds())
		allowed[i] = r.Limits.Allowed(row.Duration).Seconds()
	}
	width := vg.Points(18)
	series := []struct {
		name string
		vals plotter.Values
	}{{"poll gap", poll}, {"noticed (poll gap + tail)", noticed}, {"allowed", allowed}}
	for k, s := range series {
		bars, err := plotter.NewBarChart(s.vals, width)
		if err != nil {
			return nil, err
		}
		bars.Color = plotutil.Color(k + 3)
		bars.LineStyle.Width = 0
		bars.Offset = width * vg.Length(k-1)
		p.Add(bars)
		p.Legend.Add(s.name, bars)
	}
	p.NominalX(names...)
	p.Y.Min = 0
	headroom(p)
	return p, nil
}
