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
}
