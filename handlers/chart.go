package handlers

import (
	"github.com/confbot/confbot/chart"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
)

// tallyChart draws a result as a PNG bar chart: approve ballots stack
// approvals and disapprovals, choose and elect ballots show picks; the pass
// line sits at the threshold's share of the base.
func (r *Router) tallyChart(lang i18n.Lang, c *domain.Conference, spec domain.BallotSpec, res domain.Result) ([]byte, error) {
	ch := chart.Chart{
		Title: spec.Title,
		Subtitle: r.Catalog.Text(lang, "chart.subtitle", "round", res.Round, "voted", res.Turnout, "base", res.Base,
			"base_name", r.Catalog.Text(lang, "tally.base."+string(spec.Threshold.Of)), "threshold", r.thresholdWords(lang, spec.Threshold)),
		Max:            res.Base,
		Threshold:      spec.Threshold.Percent * float64(res.Base) / 100,
		ThresholdLabel: r.Catalog.Text(lang, "chart.threshold", "threshold", r.thresholdWords(lang, spec.Threshold)),
		AwardedLabel:   r.Catalog.Text(lang, awardedLabelKey(spec)),
		TiedLabel:      r.Catalog.Text(lang, "chart.tied"),
	}
	if spec.Kind == domain.KindApprove {
		ch.Legend = []string{r.Catalog.Text(lang, "chart.legend_yes"), r.Catalog.Text(lang, "chart.legend_no")}
	} else {
		ch.Legend = []string{r.Catalog.Text(lang, "chart.legend_votes")}
	}
	for _, row := range res.Rows {
		u, _ := c.Unit(row.Candidate)
		bar := chart.Bar{Label: row.Candidate + " — " + u.Name, Value: row.Votes, Percent: row.Percent,
			Passed: row.Passed, Awarded: row.Awarded, Tied: row.Tied}
		if spec.Kind == domain.KindApprove {
			bar.Value, bar.Secondary = row.Yes, row.No
		}
		ch.Bars = append(ch.Bars, bar)
	}
	return r.RenderChart(ch)
}

// awardedLabelKey labels the awarded bars: the chair and deputy elections
// are won (trúng cử), a title is proposed.
func awardedLabelKey(spec domain.BallotSpec) string {
	if spec.Elects() {
		return "chart.elected"
	}
	return "chart.awarded"
}
