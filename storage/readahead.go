package storage

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// Reading ahead. Handling an update reads a handful of small keys one after
// another — the person, their memberships, the conference's version, the
// round — and each read is a round trip. The Store learns, per plan (the
// router names one per person and kind of request), which reads the last
// such request made before its first write, and makes them all in one
// pipeline when the next one starts; the handlers' reads are then answered
// from that snapshot, taken as the request began — as if they had run
// then. A write under the request's context ends the snapshot, so what is
// read after it is read from Redis; a read the plan did not foresee goes to
// Redis too. A wrong guess costs a round trip, never a wrong answer.
//
// It works below the store's methods, as a go-redis hook: the methods read
// as they always did and do not know whether Redis or the snapshot answered.

// maxPlans bounds the plans kept (one per kind of request and conference).
const maxPlans = 10_000

// maxPeople bounds the people whose conference is remembered.
const maxPeople = 200_000

// maxPlanReads bounds one plan: a request that reads more is not typical.
const maxPlanReads = 48

type readAheadKey struct{}

type noReadAheadKey struct{}

// withoutReadAhead marks reads that a plan must not learn: those that fill
// a cache (the conference document, read once per change), which the next
// request would fetch for nothing.
func withoutReadAhead(ctx context.Context) context.Context {
	return context.WithValue(ctx, noReadAheadKey{}, true)
}

// ReadAhead starts a request of person (a Telegram id and username) of a
// kind (a command, a button): it makes, in one round trip, the reads that
// the last request of that kind in the person's conference made — or in
// any conference, for a person not seen yet — with their id and username
// put in, and returns the context to handle the request with; done records
// this request's reads.
//
// Plans are kept per kind and conference, not per person: a person costs
// only the name of their conference here (10,000 people, well under 1 MB).
func (s *Store) ReadAhead(ctx context.Context, person int64, username, kind string) (_ context.Context, done func()) {
	who := readerOf(person, username)
	reads := s.plans.get(kind + "|" + s.plans.conferenceOf(person))
	if reads == nil {
		reads = s.plans.get(kind + "|")
	}
	reads = who.fill(reads)
	ra := &readAhead{got: map[string]redis.Cmder{}, serving: true}
	if len(reads) > 0 {
		cmds := make([]redis.Cmder, len(reads))
		_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, r := range reads {
				cmds[i] = r.build(ctx)
				_ = p.Process(ctx, cmds[i])
			}
			return nil
		})
		if err == nil || errors.Is(err, redis.Nil) {
			for i, c := range cmds {
				if c.Err() == nil || errors.Is(c.Err(), redis.Nil) {
					ra.got[reads[i].key] = c
				}
			}
		}
		// Otherwise (Redis out of reach) every read goes to Redis and
		// fails there, where the handlers expect it.
	}
	return context.WithValue(ctx, readAheadKey{}, ra), func() {
		learned := ra.finish()
		if len(learned) == 0 {
			return
		}
		conf := s.hashTagOf(learned)
		plan := who.blank(learned)
		s.plans.put(kind+"|"+conf, plan)
		s.plans.put(kind+"|", plan)
		s.plans.setConference(person, conf)
	}
}

// hashTagOf names the conference most of reads are about: the hash tag
// ({cluster/conference}) its keys carry most often ("" when none does).
func (s *Store) hashTagOf(reads []plannedRead) string {
	counts := map[string]int{}
	best := ""
	for _, r := range reads {
		if len(r.args) < 2 {
			continue
		}
		key, _ := r.args[1].(string)
		rest, ok := strings.CutPrefix(key, s.prefix+":{")
		if !ok {
			continue
		}
		tag, _, ok := strings.Cut(rest, "}")
		if !ok || tag == "inbox" {
			continue
		}
		counts[tag]++
		if counts[tag] > counts[best] {
			best = tag
		}
	}
	return best
}

// reader is the person a plan is filled in for: the parts of their reads
// that another person's would have instead.
type reader struct{ id, username string }

func readerOf(id int64, username string) reader {
	return reader{id: strconv.FormatInt(id, 10), username: normalUsername(username)}
}

// Placeholders of a shared plan (NUL occurs in no key or field).
const (
	placeID       = "\x00id\x00"
	placeUsername = "\x00username\x00"
)

// blank turns the person's reads into anyone's.
func (p reader) blank(reads []plannedRead) []plannedRead {
	return p.rewrite(reads, func(s string) string {
		s = replaceWord(s, p.id, placeID)
		return replaceWord(s, p.username, placeUsername)
	})
}

// fill turns anyone's reads into the person's.
func (p reader) fill(reads []plannedRead) []plannedRead {
	return p.rewrite(reads, func(s string) string {
		s = strings.ReplaceAll(s, placeID, p.id)
		return strings.ReplaceAll(s, placeUsername, p.username)
	})
}

func (p reader) rewrite(reads []plannedRead, f func(string) string) []plannedRead {
	if len(reads) == 0 {
		return nil
	}
	out := make([]plannedRead, 0, len(reads))
	for _, r := range reads {
		args := make([]any, len(r.args))
		for i, a := range r.args {
			if s, ok := a.(string); ok {
				a = f(s)
			}
			args[i] = a
		}
		if planned, ok := asPlannedRead(r.build(context.Background(), args...)); ok {
			out = append(out, planned)
		}
	}
	return out
}

// replaceWord replaces word in s where it stands alone (between characters
// that are not letters, digits or _), so an id is not found inside another
// number.
func replaceWord(s, word, with string) string {
	if word == "" || !strings.Contains(s, word) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, word)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(word)
		if (i == 0 || !wordByte(s[i-1])) && (end == len(s) || !wordByte(s[end])) {
			b.WriteString(s[:i])
			b.WriteString(with)
		} else {
			b.WriteString(s[:end])
		}
		s = s[end:]
	}
}

func wordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// readAhead is one request's snapshot and what it has read so far.
type readAhead struct {
	mu      sync.Mutex
	got     map[string]redis.Cmder // by plannedRead.key
	serving bool                   // until the request's first write
	learned []plannedRead
	seen    map[string]bool
}

// answer fills cmd from the snapshot; false when it cannot.
func (ra *readAhead) answer(cmd redis.Cmder, key string) bool {
	ra.mu.Lock()
	defer ra.mu.Unlock()
	if !ra.serving {
		return false
	}
	src, ok := ra.got[key]
	return ok && copyResult(cmd, src)
}

// learn records a read the request made before its first write.
func (ra *readAhead) learn(r plannedRead) {
	ra.mu.Lock()
	defer ra.mu.Unlock()
	if !ra.serving || ra.seen[r.key] || len(ra.learned) >= maxPlanReads {
		return
	}
	if ra.seen == nil {
		ra.seen = map[string]bool{}
	}
	ra.seen[r.key] = true
	ra.learned = append(ra.learned, r)
}

// wrote ends the snapshot: what the request reads next, it reads from Redis.
func (ra *readAhead) wrote() {
	ra.mu.Lock()
	ra.serving = false
	ra.mu.Unlock()
}

func (ra *readAhead) finish() []plannedRead {
	ra.mu.Lock()
	defer ra.mu.Unlock()
	ra.serving = false
	return ra.learned
}

// plannedRead is one read of a plan: its command and the kind of result.
type plannedRead struct {
	kind resultKind
	args []any
	key  string // command and arguments, as one string
}

type resultKind uint8

const (
	resultString resultKind = iota + 1
	resultSlice
	resultMap
	resultStrings
	resultInt
	resultBool
)

// build makes the command of r, with args instead of its own when given.
func (r plannedRead) build(ctx context.Context, args ...any) redis.Cmder {
	if args == nil {
		args = r.args
	}
	switch r.kind {
	case resultString:
		return redis.NewStringCmd(ctx, args...)
	case resultSlice:
		return redis.NewSliceCmd(ctx, args...)
	case resultMap:
		return redis.NewMapStringStringCmd(ctx, args...)
	case resultStrings:
		return redis.NewStringSliceCmd(ctx, args...)
	case resultInt:
		return redis.NewIntCmd(ctx, args...)
	default:
		return redis.NewBoolCmd(ctx, args...)
	}
}

// readCommands are the commands that change nothing. Any other command run
// under a request ends its snapshot.
var readCommands = map[string]bool{
	"get": true, "mget": true, "hget": true, "hmget": true, "hgetall": true, "hexists": true, "hlen": true,
	"smembers": true, "sismember": true, "scard": true, "exists": true, "lrange": true, "lindex": true,
	"llen": true, "zscore": true, "zcard": true, "zrange": true, "strlen": true, "ttl": true, "pttl": true,
	"ping": true, "command": true,
}

// asPlannedRead describes cmd for a plan, when it is a read whose result
// the snapshot can hand over.
func asPlannedRead(cmd redis.Cmder) (plannedRead, bool) {
	var kind resultKind
	switch cmd.(type) {
	case *redis.StringCmd:
		kind = resultString
	case *redis.SliceCmd:
		kind = resultSlice
	case *redis.MapStringStringCmd:
		kind = resultMap
	case *redis.StringSliceCmd:
		kind = resultStrings
	case *redis.IntCmd:
		kind = resultInt
	case *redis.BoolCmd:
		kind = resultBool
	default:
		return plannedRead{}, false
	}
	args := cmd.Args()
	var b strings.Builder
	b.WriteByte(byte(kind))
	for _, a := range args {
		b.WriteByte(0)
		switch v := a.(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		case int64:
			b.WriteString(strconv.FormatInt(v, 10))
		default:
			return plannedRead{}, false // not worth a general formatter
		}
	}
	return plannedRead{kind: kind, args: args, key: b.String()}, true
}

// copyResult hands src's result to dst (the same command, the same type).
func copyResult(dst, src redis.Cmder) bool {
	switch d := dst.(type) {
	case *redis.StringCmd:
		return copyVal[string](d, src)
	case *redis.SliceCmd:
		return copyVal[[]any](d, src)
	case *redis.MapStringStringCmd:
		return copyVal[map[string]string](d, src)
	case *redis.StringSliceCmd:
		return copyVal[[]string](d, src)
	case *redis.IntCmd:
		return copyVal[int64](d, src)
	case *redis.BoolCmd:
		return copyVal[bool](d, src)
	}
	return false
}

// valued is a go-redis command whose result is a V.
type valued[V any] interface {
	redis.Cmder
	Val() V
	SetVal(V)
}

func copyVal[V any, C valued[V]](dst C, src redis.Cmder) bool {
	s, ok := src.(C)
	if !ok {
		return false
	}
	dst.SetVal(s.Val())
	dst.SetErr(s.Err())
	return true
}

// readAheadHook answers a request's reads from its snapshot, learns them
// for its plan, and ends the snapshot at the request's first write.
type readAheadHook struct{}

func (readAheadHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (readAheadHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		ra, _ := ctx.Value(readAheadKey{}).(*readAhead)
		if ra == nil {
			return next(ctx, cmd)
		}
		if !readCommands[cmd.Name()] {
			ra.wrote()
			return next(ctx, cmd)
		}
		r, ok := asPlannedRead(cmd)
		if !ok {
			return next(ctx, cmd)
		}
		if ctx.Value(noReadAheadKey{}) == nil {
			ra.learn(r)
		}
		if ra.answer(cmd, r.key) {
			return cmd.Err() // go-redis sets the command's error to what the hook returns
		}
		return next(ctx, cmd)
	}
}

func (readAheadHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		ra, _ := ctx.Value(readAheadKey{}).(*readAhead)
		if ra == nil {
			return next(ctx, cmds)
		}
		reads := make([]plannedRead, 0, len(cmds))
		for _, c := range cmds {
			r, ok := asPlannedRead(c)
			if !readCommands[c.Name()] {
				ra.wrote()
				return next(ctx, cmds)
			}
			if ok {
				reads = append(reads, r)
			}
		}
		if ctx.Value(noReadAheadKey{}) == nil {
			for _, r := range reads {
				ra.learn(r)
			}
		}
		if len(reads) == len(cmds) {
			answered := true
			for i, c := range cmds {
				if answered = ra.answer(c, reads[i].key); !answered {
					break
				}
			}
			if answered {
				return firstErr(cmds)
			}
		}
		return next(ctx, cmds)
	}
}

// firstErr is what a pipeline returns: its first command's error.
func firstErr(cmds []redis.Cmder) error {
	for _, c := range cmds {
		if err := c.Err(); err != nil {
			return err
		}
	}
	return nil
}

// plans are the reads the last request of each plan made (by kind and
// conference), and each person's conference, both bounded.
type plans struct {
	mu     sync.Mutex
	m      map[string][]plannedRead
	people map[int64]string
}

func (p *plans) get(plan string) []plannedRead {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[plan]
}

func (p *plans) put(plan string, reads []plannedRead) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string][]plannedRead{}
	}
	if _, ok := p.m[plan]; !ok && len(p.m) >= maxPlans {
		for k := range p.m { // any one: plans are cheap to learn again
			delete(p.m, k)
			break
		}
	}
	p.m[plan] = reads
}

func (p *plans) conferenceOf(person int64) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.people[person]
}

func (p *plans) setConference(person int64, conf string) {
	if conf == "" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.people == nil {
		p.people = map[int64]string{}
	}
	if _, ok := p.people[person]; !ok && len(p.people) >= maxPeople {
		for k := range p.people {
			delete(p.people, k)
			break
		}
	}
	p.people[person] = conf
}
