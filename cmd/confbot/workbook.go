package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/config"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/setup"
	"github.com/confbot/confbot/workbook"
)

// defaultTemplate is where `confbot template` writes without a FILE.
const defaultTemplate = "hoi-nghi.xlsx"

// writeTemplate is `confbot template [FILE]`: the workbook a secretary
// fills in, with the reference conference as the example.
func writeTemplate(path string, out io.Writer) error {
	if path == "" {
		path = defaultTemplate
	}
	if strings.ToLower(filepath.Ext(path)) != ".xlsx" {
		return fmt.Errorf("%s: the template is a workbook; name it FILE.xlsx", path)
	}
	conf, err := conffile.Parse(examples.Cum8)
	if err != nil {
		return fmt.Errorf("the reference conference: %w", err)
	}
	var buf bytes.Buffer
	if err := workbook.Write(&buf, conf); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: the reference conference (%s) as a workbook; change it, then `confbot check %s`\n", path, conf.Ref(), path)
	return nil
}

// exportConfig is `confbot export-config CONF FILE.xlsx|FILE.yaml`: a
// stored conference written back out, so next year starts from this one.
func exportConfig(ctx context.Context, cfg *config.Config, typed, path string, out io.Writer) error {
	var write func(io.Writer, *domain.Conference) error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		write = workbook.Write
	case ".yaml", ".yml":
		write = func(w io.Writer, c *domain.Conference) error {
			data, err := conffile.Marshal(c)
			if err == nil {
				_, err = w.Write(data)
			}
			return err
		}
	default:
		return fmt.Errorf("%s: write FILE.xlsx (a workbook) or FILE.yaml", path)
	}
	store, ref, err := openConference(ctx, cfg, typed)
	if err != nil {
		return err
	}
	defer store.Close()
	c, err := store.Conference(ctx, ref)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := write(&buf, c); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %s (%d bytes)\n", path, ref, buf.Len())
	return nil
}

// check is `confbot check FILE`: the file's problems, or what importing it
// would change; nothing is stored.
func check(ctx context.Context, cfg *config.Config, path string, out io.Writer) error {
	data, err := readConferenceFile(path)
	if err != nil {
		return err
	}
	if _, err := setup.ParseFile(data); err != nil {
		return fileErrors(path, err)
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		fmt.Fprintf(out, "%s is valid; it could not be compared with the stored conference: %v\n", path, err)
		return nil
	}
	defer store.Close()
	res, err := setup.New(store, "", time.Now).Check(ctx, data)
	c := res.Conference
	switch {
	case errors.Is(err, setup.ErrInSession):
		fmt.Fprintf(out, "%s is valid, but %s is %s: an import would be refused. It would change:\n  %s\n", path, c.Ref(), c.State, strings.Join(res.Changes, "\n  "))
		return nil
	case err != nil:
		return err
	case res.Created:
		fmt.Fprintf(out, "%s is valid: an import would create %s (%d units, %d ballots, %d people)\n", path, c.Ref(), len(c.Units), len(c.Ballots), len(c.People))
	case len(res.Changes) == 0:
		fmt.Fprintf(out, "%s is valid: %s is stored already, unchanged\n", path, c.Ref())
	default:
		fmt.Fprintf(out, "%s is valid: an import would change %s:\n  %s\n", path, c.Ref(), strings.Join(res.Changes, "\n  "))
	}
	return nil
}

// readConferenceFile reads a conference file of a sensible size.
func readConferenceFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > conffile.MaxFileSize {
		return nil, fmt.Errorf("%s: over %d bytes", path, conffile.MaxFileSize)
	}
	return os.ReadFile(path)
}

// fileErrors lists a file's problems, one a line.
func fileErrors(path string, err error) error {
	var ferrs *conffile.Errors
	if errors.As(err, &ferrs) {
		return fmt.Errorf("%s has %d error(s):\n%s", path, len(*ferrs), ferrs.Error())
	}
	return err
}
