package telegramsim

import (
	"math/rand/v2"
	"time"
)

// FailurePlan injects faults into a fraction of requests, deterministically for a given Seed and
// request order. Rates are fractions in [0,1]; they are tried in the order 500, 429, hold.
type FailurePlan struct {
	// Seed makes the sequence of faults repeatable.
	Seed uint64
	// Rate500 is the fraction answered 500 Internal Server Error (nothing is sent).
	Rate500 float64
	// Rate429 is the fraction answered 429 with RetryAfter (nothing is sent).
	Rate429 float64
	// RetryAfter is the retry_after of injected 429s, in seconds; 0 means 1.
	RetryAfter int
	// RateHold is the fraction whose answer is held: the request IS carried out (the message is
	// sent) but the answer waits HoldFor or until the client gives up — the ambiguous timeout a
	// bot must not turn into a duplicate.
	RateHold float64
	// HoldFor bounds how long a held answer waits; 0 means 30 seconds.
	HoldFor time.Duration
	// Methods limits the plan to these methods; empty means every send-type method (send*,
	// edit*, copyMessage, forwardMessage, except sendChatAction).
	Methods []string
}

// fault is what the injector decided for one request.
type fault struct {
	code       int
	retryAfter int
	hold       time.Duration
}

type scriptedFault struct {
	remaining  int
	code       int
	retryAfter int
}

type faultInjector struct {
	plan    FailurePlan
	rng     *rand.Rand
	methods map[string]bool
	next    map[string]*scriptedFault
}

func newFaultInjector(p FailurePlan) faultInjector {
	fi := faultInjector{
		plan: p,
		rng:  rand.New(rand.NewPCG(p.Seed, p.Seed^0x9e3779b97f4a7c15)),
		next: make(map[string]*scriptedFault),
	}
	if len(p.Methods) > 0 {
		fi.methods = make(map[string]bool)
		for _, m := range p.Methods {
			fi.methods[m] = true
		}
	}
	return fi
}

// decide returns the fault for a request to method, if any. Scripted faults (FailNext) come
// first and apply to any method.
func (fi *faultInjector) decide(method string) (fault, bool) {
	if sf := fi.next[method]; sf != nil && sf.remaining > 0 {
		sf.remaining--
		return fault{code: sf.code, retryAfter: sf.retryAfter}, true
	}
	applies := isRateLimited(method)
	if fi.methods != nil {
		applies = fi.methods[method]
	}
	p := fi.plan
	if !applies || p.Rate500+p.Rate429+p.RateHold <= 0 {
		return fault{}, false
	}
	x := fi.rng.Float64()
	switch {
	case x < p.Rate500:
		return fault{code: 500}, true
	case x < p.Rate500+p.Rate429:
		return fault{code: 429, retryAfter: max(p.RetryAfter, 1)}, true
	case x < p.Rate500+p.Rate429+p.RateHold:
		hold := p.HoldFor
		if hold <= 0 {
			hold = 30 * time.Second
		}
		return fault{hold: hold}, true
	}
	return fault{}, false
}

// FailNext answers the next n requests to method with errorCode instead of carrying them out;
// retryAfter is sent as parameters.retry_after (use it with 429). It applies to any method.
func (s *Simulator) FailNext(method string, n int, errorCode int, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.next[method] = &scriptedFault{remaining: n, code: errorCode, retryAfter: retryAfter}
}
