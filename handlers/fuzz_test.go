package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/handlers"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/setup"
	"github.com/confbot/confbot/storage"
)

// fakeOut records what the bot would send.
type fakeOut struct {
	mu   sync.Mutex
	sent int
}

func (f *fakeOut) count() {
	f.mu.Lock()
	f.sent++
	f.mu.Unlock()
}

func (f *fakeOut) SendMessage(_ context.Context, _ bot.Priority, p *tgbot.SendMessageParams) (*models.Message, error) {
	f.count()
	return &models.Message{ID: 1}, nil
}

func (f *fakeOut) EditMessageText(context.Context, bot.Priority, *tgbot.EditMessageTextParams) (*models.Message, error) {
	f.count()
	return &models.Message{ID: 1}, nil
}

func (f *fakeOut) EditMessageReplyMarkup(context.Context, bot.Priority, *tgbot.EditMessageReplyMarkupParams) (*models.Message, error) {
	f.count()
	return &models.Message{ID: 1}, nil
}

func (f *fakeOut) AnswerCallbackQuery(context.Context, *tgbot.AnswerCallbackQueryParams) error {
	f.count()
	return nil
}

func (f *fakeOut) SendPhoto(context.Context, bot.Priority, *tgbot.SendPhotoParams) (*models.Message, error) {
	f.count()
	return &models.Message{ID: 1}, nil
}

func (f *fakeOut) SendDocument(context.Context, bot.Priority, *tgbot.SendDocumentParams) (*models.Message, error) {
	f.count()
	return &models.Message{ID: 1}, nil
}

func (f *fakeOut) SendMediaGroup(context.Context, bot.Priority, *tgbot.SendMediaGroupParams) (*models.Message, error) {
	f.count()
	return &models.Message{ID: 1}, nil
}

type noFiles struct{}

func (noFiles) Download(context.Context, string, int64) ([]byte, error) {
	return nil, fmt.Errorf("no files in this test")
}

const stranger = 777777

// FuzzUpdateFromStranger feeds arbitrary updates, all from someone the
// conference does not know, to the real router on an embedded store with
// the reference conference loaded (in session, one ballot open): nothing
// panics, and no conference state changes.
func FuzzUpdateFromStranger(f *testing.F) {
	for _, seed := range []string{
		`{"message":{"message_id":1,"date":1,"chat":{"id":777777,"type":"private"},"text":"/start abc","entities":[{"type":"bot_command","offset":0,"length":6}]}}`,
		`{"message":{"message_id":1,"date":1,"chat":{"id":777777,"type":"private"},"text":"/vote co-bca CNTT:yes","entities":[{"type":"bot_command","offset":0,"length":5}]}}`,
		`{"message":{"message_id":1,"date":1,"chat":{"id":777777,"type":"private"},"text":"/ballot close co-bca","entities":[{"type":"bot_command","offset":0,"length":7}]}}`,
		`{"callback_query":{"id":"q","chat_instance":"c","data":"bs:0.1:yyyyyy","message":{"message_id":5,"date":1,"chat":{"id":777777,"type":"private"}}}}`,
		`{"callback_query":{"id":"q","chat_instance":"c","data":"bx:0.1","message":{"message_id":5,"date":1,"chat":{"id":777777,"type":"private"}}}}`,
		`{"callback_query":{"id":"q","chat_instance":"c","data":"bv:0.1:yyy:99"}}`,
		`{"message":{"message_id":1,"date":1,"chat":{"id":-100,"type":"group"},"text":"/import","entities":[{"type":"bot_command","offset":0,"length":7}],"document":{"file_id":"x","file_unique_id":"y","file_name":"a.yaml","file_size":10}}}`,
	} {
		f.Add([]byte(seed))
	}
	ctx := context.Background()
	mr := miniredis.NewMiniRedis()
	if err := mr.Start(); err != nil {
		f.Fatal(err)
	}
	defer mr.Close()
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	defer rdb.Close()
	now := func() time.Time { return time.Date(2022, 11, 24, 9, 0, 0, 0, time.UTC) }
	store := storage.New(rdb, "fuzz", storage.WithClock(now))
	cat, err := i18n.Load()
	if err != nil {
		f.Fatal(err)
	}
	svc := setup.New(store, "confbot", now)
	if _, err := svc.Import(ctx, examples.Cum8); err != nil {
		f.Fatal(err)
	}
	ref := "cum8-bt/tk-2022"
	c, err := store.UpdateConference(ctx, ref, func(c *domain.Conference) error {
		_ = c.Transition(domain.StateOpen)
		return c.Transition(domain.StateInSession)
	})
	if err != nil {
		f.Fatal(err)
	}
	secret := []byte("0123456789abcdef0123456789abcdef")
	if err := store.OpenBallot(ctx, ref, c.Ballots[0], 1, c.MemberCodes(), c.MemberCodes(), time.Time{}, secret); err != nil {
		f.Fatal(err)
	}
	router := handlers.NewRouter(handlers.Deps{Store: store, Setup: svc, Out: &fakeOut{}, Files: noFiles{}, Catalog: cat,
		IsAdmin: func(id int64) bool { return id == 1 }, BotUsername: "confbot", Now: now, Ballots: store, BallotSecret: secret})
	before := snapshot(ctx, f, rdb, "fuzz:{")

	f.Fuzz(func(t *testing.T, raw []byte) {
		var u models.Update
		if json.Unmarshal(raw, &u) != nil {
			return
		}
		// Whoever the update claims to be from, it is the stranger.
		if u.Message != nil {
			u.Message.From = &models.User{ID: stranger, FirstName: "X"}
		}
		if u.CallbackQuery != nil {
			u.CallbackQuery.From = models.User{ID: stranger, FirstName: "X"}
		}
		_ = router.Handle(ctx, &u)
		if after := snapshot(ctx, t, rdb, "fuzz:{"); !reflect.DeepEqual(before, after) {
			t.Fatalf("a stranger's update changed conference state:\n%s", diffKeys(before, after))
		}
	})
}

// snapshot reads every key under prefix as text, whatever its type.
func snapshot(ctx context.Context, t testing.TB, rdb *redis.Client, prefix string) map[string]string {
	t.Helper()
	keys, err := rdb.Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, k := range keys {
		var v any
		switch rdb.Type(ctx, k).Val() {
		case "string":
			v = rdb.Get(ctx, k).Val()
		case "hash":
			v = rdb.HGetAll(ctx, k).Val()
		case "set":
			m := rdb.SMembers(ctx, k).Val()
			sort.Strings(m)
			v = m
		case "list":
			v = rdb.LRange(ctx, k, 0, -1).Val()
		case "zset":
			v = rdb.ZRangeWithScores(ctx, k, 0, -1).Val()
		case "stream":
			v = rdb.XRange(ctx, k, "-", "+").Val()
		}
		out[k] = fmt.Sprint(v)
	}
	return out
}

func diffKeys(a, b map[string]string) string {
	var lines []string
	for k, v := range b {
		if a[k] != v {
			lines = append(lines, "changed or added: "+k)
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			lines = append(lines, "removed: "+k)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
