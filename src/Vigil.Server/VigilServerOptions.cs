namespace Vigil.Server;

/// <summary>The service's settings: configuration section <c>Vigil</c> (e.g. <c>--Vigil:Database=./vigil.db</c>,
/// environment <c>Vigil__Database</c>).</summary>
public sealed class VigilServerOptions
{
    public const string Section = "Vigil";

    /// <summary>The database: a SQLite file, or a PostgreSQL connection string or <c>postgres://</c> URL.</summary>
    public string Database { get; set; } = "vigil.db";

    /// <summary>The folder of the cookie and antiforgery keys; unset: next to a SQLite database (<c>FILE.keys</c>), or
    /// <c>vigil.keys</c> in the current folder with PostgreSQL. Processes that serve one site share one folder.</summary>
    public string? Keys { get; set; }

    /// <summary>Vigil's data folder (lists/, model/, policy.json); the shipped one when unset.</summary>
    public string? Data { get; set; }

    /// <summary>The policy file; policy.json in the data folder when unset.</summary>
    public string? Policy { get; set; }

    /// <summary>Whether to identify the language of text (costs time per request).</summary>
    public bool IdentifyLanguage { get; set; } = true;

    /// <summary>When the text classifier's embedding stage runs (Off, Cascade, All).</summary>
    public Vigil.Text.EmbeddingMode Embeddings { get; set; } = Vigil.Text.EmbeddingMode.Cascade;

    /// <summary>Whether to read text in uploaded images with Tesseract (when it is installed).</summary>
    public bool Ocr { get; set; } = true;

    /// <summary>The most pixels (width x height) an uploaded image may declare; a larger one is not decoded: it is
    /// <c>media.unreadable</c> (review) with its exact hashes still matched. 40 megapixels (was 50).</summary>
    public long MaxImagePixels { get; set; } = 40_000_000;

    /// <summary>The most pixels Tesseract is given: a larger image is reduced in proportion before OCR (docs/quality/ocr.md).</summary>
    public long OcrMaxPixels { get; set; } = Vigil.Media.Ocr.TesseractOptions.DefaultMaxPixels;

    /// <summary>The longest OCR of one image, all Tesseract runs together; past it the image is <c>media.unreadable</c>.</summary>
    public TimeSpan OcrTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many images are decoded at once across all requests (the number of processors, at most 4).</summary>
    public int MaxConcurrentDecodes { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>How many images are read by OCR at once across all requests, one Tesseract process each (the number of
    /// processors, at most 4).</summary>
    public int MaxConcurrentOcr { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>How long a request waits for a free decode or OCR slot before it is answered 503 with <c>Retry-After</c>.</summary>
    public TimeSpan MediaQueueWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the hash banks are cached before they are read from the database again.</summary>
    public TimeSpan BankRefresh { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The largest request body accepted on the API (413 above).</summary>
    public long MaxRequestBytes { get; set; } = 12 * 1024 * 1024;

    /// <summary>The largest image accepted (413 above).</summary>
    public long MaxImageBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The longest text accepted, in UTF-16 code units (413 above).</summary>
    public int MaxTextLength { get; set; } = 100_000;

    /// <summary>The largest metadata object, in bytes of JSON (400 above).</summary>
    public int MaxMetadataBytes { get; set; } = 16 * 1024;

    /// <summary>How long a claim on a case lasts (renewed by claiming again).</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Violating items a reviewer may see in a day before the UI suggests a pause.</summary>
    public int WellbeingDailyCap { get; set; } = 40;

    /// <summary>The first retry of a failed webhook delivery waits this long; each next one twice as long.</summary>
    public TimeSpan WebhookRetryBase { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan WebhookRetryMax { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts before a delivery is given up (dead).</summary>
    public int WebhookMaxAttempts { get; set; } = 12;

    /// <summary>How long one delivery may take.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the outbox is looked at when nothing wakes the dispatcher.</summary>
    public TimeSpan WebhookPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The work queue (NATS JetStream, e.g. <c>nats://127.0.0.1:4222</c>); unset: content is assessed when it is
    /// submitted. With a queue, <c>POST /v1/content</c> stores the item and answers 202; <c>vigil worker</c> assesses it.</summary>
    public string? Queue { get; set; }

    /// <summary>The name of this deployment's streams, subjects, consumer and bucket on the NATS server (several deployments
    /// may share one server under different names): 1-32 of a-z, 0-9, '_' and '-'.</summary>
    public string QueueName { get; set; } = "vigil";

    /// <summary>The longest a submission with <c>?wait=true</c> waits for its result on the queue path.</summary>
    public TimeSpan QueueWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a worker may hold a message without acknowledging it before it is delivered again.</summary>
    public TimeSpan QueueAckWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The most items waiting in the queue; above it, submissions get 503 with Retry-After.</summary>
    public long QueueMaxWaiting { get; set; } = 1_000_000;

    /// <summary>Deliveries of a message before a worker gives it up (dead letter).</summary>
    public int QueueMaxAttempts { get; set; } = 5;

    /// <summary>Items a worker assesses at once.</summary>
    public int WorkerParallelism { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Networks webhooks may be delivered to although the target policy refuses them (loopback, private,
    /// link-local, CGNAT, unique-local): CIDR blocks or addresses, separated by commas, e.g. <c>10.20.0.0/16</c>.</summary>
    public string? WebhookAllowedNetworks { get; set; }

    /// <summary>Whether deliveries also carry the first version's <c>Vigil-Signature</c> over the body alone (which a
    /// replayed delivery passes); false once every receiver checks <c>Vigil-Signature-V2</c>.</summary>
    public bool WebhookLegacySignature { get; set; } = true;

    /// <summary>A file (owner-only: mode 0600) holding the key that seals webhook secrets and the sign-in key ring at
    /// rest: 32 random bytes as base64 (<c>openssl rand -base64 32</c>).</summary>
    public string? SecretsKeyFile { get; set; }

    /// <summary>The same key given directly (environment <c>Vigil__SecretsKey</c>), when there is no key file.</summary>
    public string? SecretsKey { get; set; }

    /// <summary>Requests a minute one API key may make on <c>/v1</c> (a bucket of this many, refilled at this rate); more
    /// get 429 with Retry-After. 0: no limit.</summary>
    public int ApiRequestsPerMinute { get; set; } = 600;

    /// <summary>Wrong passwords per name typed in a minute before it is locked out (<see cref="FailureLockout"/>).</summary>
    public int SignInFailuresPerAccount { get; set; } = 5;

    /// <summary>Failed sign-ins per client address in a minute before the address is locked out.</summary>
    public int SignInFailuresPerAddress { get; set; } = 20;

    /// <summary>Requests with a wrong or revoked API key per client address in a minute before the address is locked out.</summary>
    public int ApiKeyFailuresPerAddress { get; set; } = 20;

    /// <summary>How long a lockout for failed sign-ins or API keys lasts.</summary>
    public TimeSpan FailureLockout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The absolute lifetime of a review-UI session, however active (the cookie also expires after
    /// <see cref="SessionIdle"/> without a request).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>A session cookie not used for this long expires (sliding).</summary>
    public TimeSpan SessionIdle { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long a process reuses a check of a session against the database: a change made by another process
    /// (a <c>vigil user</c> command, another server) takes effect within this time; the server's own changes at once.</summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether an admin who signs in with a password must use two-factor (TOTP): one without it is sent to
    /// enrolment before anything else. On by default; identity-provider (OIDC) sign-ins leave it to the provider.</summary>
    public bool RequireAdminTwoFactor { get; set; } = true;

    /// <summary>The reverse proxies (addresses or CIDR blocks, separated by commas) whose <c>X-Forwarded-For</c> and
    /// <c>X-Forwarded-Proto</c> headers are believed: the client's address and the scheme then come from them. Unset: the
    /// headers are ignored.</summary>
    public string? ForwardedProxies { get; set; }

    /// <summary>Whether the review UI may be used over plain HTTP, from this machine only (loopback clients): its cookies
    /// are then not marked <c>Secure</c>. Off: cookies are always <c>Secure</c> (HTTPS, or a TLS-terminating proxy in
    /// <see cref="ForwardedProxies"/>).</summary>
    public bool InsecureHttp { get; set; }

    /// <summary>The <c>Strict-Transport-Security</c> max-age sent on HTTPS responses (0: no header).</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Single sign-on with an OpenID Connect identity provider (off unless <see cref="OidcSettings.Authority"/>
    /// is set): section <c>Vigil:Oidc</c>.</summary>
    public OidcSettings Oidc { get; set; } = new();
}

/// <summary>Sign-in through an OpenID Connect provider (authorization code flow with PKCE). A user's role comes from the
/// provider's group claim, mapped in <see cref="Roles"/>; someone in no mapped group cannot sign in.</summary>
public sealed class OidcSettings
{
    /// <summary>The provider's issuer URL (its <c>/.well-known/openid-configuration</c> is read); unset: no SSO.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The claim of the ID token that lists the user's groups (<c>groups</c>; Entra ID: <c>groups</c> or
    /// <c>roles</c>).</summary>
    public string GroupClaim { get; set; } = "groups";

    /// <summary>The claim that names the user (<c>preferred_username</c>; else <c>email</c>, else <c>sub</c>).</summary>
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>Vigil role to the provider's groups that give it, comma-separated, e.g. <c>Vigil:Oidc:Roles:admin=vigil-admins</c>;
    /// a user in several gets the strongest role.</summary>
    public Dictionary<string, string> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the provider's metadata must come over HTTPS (turn off only for a provider on loopback).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The sign-in button's text.</summary>
    public string ButtonText { get; set; } = "Sign in with your organisation";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}
