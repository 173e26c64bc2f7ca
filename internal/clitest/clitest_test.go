package clitest

import "testing"

func TestParseVersion(t *testing.T) {
	for out, want := range map[string]CLI{
		"Terraform v1.0.11\non linux_amd64\n":                                    {"Terraform", "1.0.11"},
		"Terraform v1.8.5-dev\non linux_amd64\n":                                 {"Terraform", "1.8.5"},
		"OpenTofu v1.6.3\non linux_amd64\n+ provider x v1.0.0":                   {"OpenTofu", "1.6.3"},
		"\nWarning: Unable to open CLI configuration file\n\nOpenTofu v1.12.6\n": {"OpenTofu", "1.12.6"},
	} {
		got, err := parseVersion(out)
		if err != nil || got != want {
			t.Errorf("parseVersion(%q) = %v, %v; want %v", out, got, err, want)
		}
	}
	for _, out := range []string{"", "Terraform 1.5.7\n", "terraform v1.5.7\n", "  Terraform v1.5.7\n", "Vault v1.5.7\n"} {
		if got, err := parseVersion(out); err == nil {
			t.Errorf("parseVersion(%q) = %v, want an error", out, got)
		}
	}
}

func TestBelow(t *testing.T) {
	for _, c := range []struct {
		version, floor string
		below          bool
	}{
		{"1.0.11", "1.5", true},
		{"1.4.9", "1.5.0", true},
		{"1.5.0", "1.5", false},
		{"1.5.7", "1.5", false},
		{"1.10.0", "1.9", false}, // numeric, not string, order
		{"1.9.0", "1.10", true},
		{"2.0.0", "1.7", false},
		{"1.0.11", "", false},
	} {
		if got := Below(c.version, c.floor); got != c.below {
			t.Errorf("Below(%q, %q) = %v, want %v", c.version, c.floor, got, c.below)
		}
	}
}

func TestFloors(t *testing.T) {
	if got := floors("1.5", "1.6"); got != "Terraform >= 1.5 or OpenTofu >= 1.6" {
		t.Errorf("floors = %q", got)
	}
	if got := floors("1.2", ""); got != "Terraform >= 1.2" {
		t.Errorf("floors = %q", got)
	}
}
