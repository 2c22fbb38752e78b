namespace Vigil.Queue.Nats;

/// <summary>Where the work queue is and how it behaves (the names are the same for every process sharing it).</summary>
public sealed record NatsQueueOptions
{
    /// <summary>The NATS server, e.g. <c>nats://127.0.0.1:4222</c>.</summary>
    public required string Url { get; init; }

    /// <summary>The JetStream stream of queued content ids (work-queue retention: a message is removed when acknowledged).</summary>
    public string Stream { get; init; } = "VIGIL_CONTENT";

    /// <summary>The subject content ids are published on.</summary>
    public string Subject { get; init; } = "vigil.content";

    /// <summary>The durable pull consumer every worker shares.</summary>
    public string Consumer { get; init; } = "vigil-workers";

    /// <summary>The stream of messages given up.</summary>
    public string DeadStream { get; init; } = "VIGIL_DEAD";

    /// <summary>The subject dead letters are published on.</summary>
    public string DeadSubject { get; init; } = "vigil.dead.content";

    /// <summary>The key-value bucket of shared state (the hash banks' version).</summary>
    public string Bucket { get; init; } = "vigil";

    /// <summary>The most items waiting at once; above it, submissions are refused (HTTP 503) until workers catch up.</summary>
    public long MaxWaiting { get; init; } = 1_000_000;

    /// <summary>How long a delivered message may stay unacknowledged before it is delivered again (a worker died).</summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long publishing may take before the queue counts as unavailable.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages a worker pulls ahead of the ones it is processing.</summary>
    public int Prefetch { get; init; } = 16;

    /// <summary>The window in which a message id published twice is stored once.</summary>
    public TimeSpan DuplicateWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The default name of a deployment's streams, subjects, consumer and bucket.</summary>
    public const string DefaultName = "vigil";

    /// <summary>Options whose streams, subjects, consumer and bucket are named after <paramref name="name"/> (so that
    /// several deployments, or tests, share one NATS server without sharing work): <c>NAME.content</c> in stream
    /// <c>NAME_CONTENT</c>, and so on. The name is 1-32 of a-z, 0-9, '_' and '-'.</summary>
    public static NatsQueueOptions Named(string url, string? name)
    {
        name = string.IsNullOrEmpty(name) ? DefaultName : name;
        if (name.Length > 32 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-'))
        {
            throw new ArgumentException($"The queue name '{name}' is not 1-32 of a-z, 0-9, '_' and '-'.", nameof(name));
        }

        string upper = name.ToUpperInvariant().Replace('-', '_');
        return new NatsQueueOptions
        {
            Url = url,
            Stream = $"{upper}_CONTENT",
            Subject = $"{name}.content",
            Consumer = $"{name}-workers",
            DeadStream = $"{upper}_DEAD",
            DeadSubject = $"{name}.dead.content",
            Bucket = name.Replace('-', '_'),
        };
    }
}
