package liveapi

import (
	"errors"
	"fmt"
	"sync"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"
)

// CredentialConfig is the credential source to sign with, as the caller
// chose it (the provider picks one source, its block before the
// environment). Should several be set, the first wins, in this order: access
// key pair, ECS RAM role, CLI profile, and with none of them the
// credentials-go default chain. An AssumeRole, when set, is taken on top of
// that source.
type CredentialConfig struct {
	AccessKey             string
	SecretKey             string
	SecurityToken         string
	Profile               string
	SharedCredentialsFile string
	ECSRoleName           string
	AssumeRole            *AssumeRoleConfig
}

// AssumeRoleConfig is a RAM role to assume through STS.
type AssumeRoleConfig struct {
	RoleARN     string
	SessionName string
	// SessionExpiration is the session duration in seconds (0 = STS default).
	SessionExpiration int
	Policy            string
	ExternalID        string
}

// ErrNoCredentials is returned when no credential source is configured.
var ErrNoCredentials = errors.New("no credentials")

// NewCredential builds the credential the SDK signs with. It never calls the
// network: sources that need it (STS, ECS metadata) are resolved on first use.
func NewCredential(cfg CredentialConfig) (credentials.Credential, string, error) {
	base, name, err := baseProvider(cfg)
	if err != nil {
		return nil, "", err
	}
	if ar := cfg.AssumeRole; ar != nil {
		b := providers.NewRAMRoleARNCredentialsProviderBuilder().
			WithCredentialsProvider(base).
			WithRoleArn(ar.RoleARN).
			WithRoleSessionName(ar.SessionName).
			WithPolicy(ar.Policy).
			WithExternalId(ar.ExternalID)
		if ar.SessionExpiration > 0 {
			b = b.WithDurationSeconds(ar.SessionExpiration)
		}
		assumed, err := b.Build()
		if err != nil {
			return nil, "", fmt.Errorf("assume_role: %w", err)
		}
		base, name = assumed, "ram_role_arn"
	}
	// Pages are fetched concurrently and the SDK asks for the credential on
	// every request; the credentials-go providers (the default chain above
	// all) are not safe for concurrent use, so serialise them.
	return credentials.FromCredentialsProvider(name, &lockedProvider{inner: base}), name, nil
}

func baseProvider(cfg CredentialConfig) (providers.CredentialsProvider, string, error) {
	switch {
	case cfg.AccessKey != "" || cfg.SecretKey != "":
		if cfg.AccessKey == "" || cfg.SecretKey == "" {
			return nil, "", errors.New("access_key and secret_key must be set together")
		}
		if cfg.SecurityToken != "" {
			p, err := providers.NewStaticSTSCredentialsProviderBuilder().
				WithAccessKeyId(cfg.AccessKey).WithAccessKeySecret(cfg.SecretKey).WithSecurityToken(cfg.SecurityToken).Build()
			return p, "sts", err
		}
		p, err := providers.NewStaticAKCredentialsProviderBuilder().
			WithAccessKeyId(cfg.AccessKey).WithAccessKeySecret(cfg.SecretKey).Build()
		return p, "access_key", err
	case cfg.ECSRoleName != "":
		p, err := providers.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(cfg.ECSRoleName).Build()
		return p, "ecs_ram_role", err
	case cfg.Profile != "" || cfg.SharedCredentialsFile != "":
		b := providers.NewCLIProfileCredentialsProviderBuilder()
		if cfg.Profile != "" {
			b = b.WithProfileName(cfg.Profile)
		}
		if cfg.SharedCredentialsFile != "" {
			b = b.WithProfileFile(cfg.SharedCredentialsFile)
		}
		p, err := b.Build()
		return p, "cli_profile", err
	default:
		return providers.NewDefaultCredentialsProvider(), "default_chain", nil
	}
}

type lockedProvider struct {
	mu    sync.Mutex
	inner providers.CredentialsProvider
}

func (p *lockedProvider) GetCredentials() (*providers.Credentials, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, err := p.inner.GetCredentials()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoCredentials, err)
	}
	return c, nil
}

func (p *lockedProvider) GetProviderName() string { return p.inner.GetProviderName() }
