package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// wrapped matches text as the CLI prints it, wrapped at any space.
func wrapped(text string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.ReplaceAll(regexp.QuoteMeta(text), " ", `\s+`))
}

// TestAccArguments_wholeNumbers: through the CLI, a fractional number in a
// whole-number argument is a plan-time error on it, before any call.
func TestAccArguments_wholeNumbers(t *testing.T) {
	requireAcc(t)
	emu := startEmulator(t, emulator.Options{})
	body := func(extra string) string {
		return fmt.Sprintf(dataSourceConfig, streamKind.name, fmt.Sprintf(lookbackBody, streamKind.fixtureDomain, "1h")+extra)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: emu.providerConfig("max_retries = 1.5") + body(""), ExpectError: wrapped("max_retries must be a whole number, such as 1; 1.5 has a fractional part")},
			{Config: emu.providerConfig() + body("max_kept_records = 1.5"), ExpectError: wrapped("max_kept_records must be a whole number, such as 1; 1.5 has a fractional part")},
			{Config: emu.providerConfig() + body("page_size = 2.5"), ExpectError: wrapped("page_size must be a whole number, such as 2")},
		},
	})
	if n := emu.Stats().Requests; n != 0 {
		t.Errorf("%d API calls for configurations refused at plan time", n)
	}
}
