package provider

import (
	"fmt"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// credentialOrigin says where the credential source was found, for the log.
type credentialOrigin string

const (
	fromBlock        credentialOrigin = "provider block"
	fromEnvironment  credentialOrigin = "environment"
	fromDefaultChain credentialOrigin = "default chain"
)

// credentialConfig picks the one credential source the client signs with.
// A source set in the provider block wins over any source in the
// environment, whatever the kinds: a profile in the block is used although
// keys of another account sit in the CI environment. The order, first match
// wins:
//
//  1. the block's access_key and secret_key, with the block's security_token;
//  2. the block's ecs_role_name;
//  3. the block's profile and/or shared_credentials_file (the profile name
//     from the block, else ALIBABA_CLOUD_PROFILE or ALICLOUD_PROFILE, else
//     the file's current profile);
//  4. the environment's key pair, ALIBABA_CLOUD_ACCESS_KEY_ID and
//     ALIBABA_CLOUD_ACCESS_KEY_SECRET (or ALICLOUD_ACCESS_KEY and
//     ALICLOUD_SECRET_KEY), with ALIBABA_CLOUD_SECURITY_TOKEN (or
//     ALICLOUD_SECURITY_TOKEN);
//  5. the environment's ALIBABA_CLOUD_PROFILE or ALICLOUD_PROFILE;
//  6. the credentials-go default chain (OIDC, the aliyun CLI configuration,
//     ~/.alibabacloud/credentials, the ECS instance role it is told of).
//
// A key pair and its token come whole from one place: the block's pair never
// takes the environment's token or half, nor the other way round. assume_role
// applies on top of whichever source wins.
func credentialConfig(cfg providerModel) (liveapi.CredentialConfig, credentialOrigin, error) {
	switch {
	case cfg.AccessKey.ValueString() != "" || cfg.SecretKey.ValueString() != "":
		// The schema requires both; liveapi refuses half a pair as well.
		return liveapi.CredentialConfig{AccessKey: cfg.AccessKey.ValueString(), SecretKey: cfg.SecretKey.ValueString(),
			SecurityToken: cfg.SecurityToken.ValueString()}, fromBlock, nil
	case cfg.ECSRoleName.ValueString() != "":
		return liveapi.CredentialConfig{ECSRoleName: cfg.ECSRoleName.ValueString()}, fromBlock, nil
	case cfg.Profile.ValueString() != "" || cfg.SharedCredentialsFile.ValueString() != "":
		return liveapi.CredentialConfig{Profile: stringOrEnv(cfg.Profile, envProfile),
			SharedCredentialsFile: cfg.SharedCredentialsFile.ValueString()}, fromBlock, nil
	}
	idName, id := firstEnvNamed(envAccessKey)
	secretName, secret := firstEnvNamed(envSecretKey)
	switch {
	case id != "" && secret != "":
		return liveapi.CredentialConfig{AccessKey: id, SecretKey: secret, SecurityToken: firstEnv(envSecurityToken)}, fromEnvironment, nil
	case id != "":
		return liveapi.CredentialConfig{}, fromEnvironment, fmt.Errorf("%s is set but neither %s nor %s is: give the whole key pair", idName, envSecretKey[0], envSecretKey[1])
	case secret != "":
		return liveapi.CredentialConfig{}, fromEnvironment, fmt.Errorf("%s is set but neither %s nor %s is: give the whole key pair", secretName, envAccessKey[0], envAccessKey[1])
	}
	if profile := firstEnv(envProfile); profile != "" {
		return liveapi.CredentialConfig{Profile: profile}, fromEnvironment, nil
	}
	return liveapi.CredentialConfig{}, fromDefaultChain, nil
}

// credentialOptions names every way to give the provider credentials, in
// the order it looks for them (credentialConfig); it ends each credential
// error so that the fix is one read away.
const credentialOptions = "The provider takes the first credential source it finds, and a source in the provider block " +
	"wins over any source in the environment: (1) access_key and secret_key (with security_token for an STS key pair) " +
	"in the provider block; (2) ecs_role_name in the block, on an ECS instance; (3) profile and/or " +
	"shared_credentials_file in the block, for an aliyun CLI profile; (4) the environment variables " +
	"ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY), " +
	"with ALIBABA_CLOUD_SECURITY_TOKEN; (5) ALIBABA_CLOUD_PROFILE; (6) the credentials-go default chain (OIDC, " +
	"~/.aliyun/config.json, ~/.alibabacloud/credentials, the ECS role of ALIBABA_CLOUD_ECS_METADATA). An assume_role " +
	"block assumes a RAM role on top of any of them."
