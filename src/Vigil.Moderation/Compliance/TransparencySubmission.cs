using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Vigil.Core.Compliance;
using Vigil.Storage;
using Vigil.Storage.Compliance;

namespace Vigil.Moderation.Compliance;

/// <summary>A stored statement in the Transparency Database's schema, with the problems Vigil's validation finds in it.</summary>
public sealed record ExportedStatement(StoredStatement Stored, TransparencyStatement Statement, IReadOnlyList<StatementProblem> Problems);

/// <summary>How a submission went, statement by statement.</summary>
/// <param name="Duplicates">Statements the database had already (their PUID): recorded as submitted.</param>
/// <param name="Rejected">Statements the database refused (422), with its reasons.</param>
/// <param name="Failure">Why the submission stopped early (the endpoint kept failing, or refused the token); null when it
/// went through to the end.</param>
public sealed record SubmissionSummary(int Submitted, int Duplicates, IReadOnlyList<(string Puid, string Problem)> Rejected, int Batches, string? Failure);

/// <summary>Progress of a submission: statements handled so far, of how many.</summary>
public sealed record SubmissionProgress(int Done, int Total);

/// <summary>
/// The export of statements of reasons for the EU DSA Transparency Database and their submission to its API
/// (<c>POST /api/v1/statements</c>, Bearer token): batches of at most <see cref="TransparencyDatabase.MaxBatch"/>; a
/// transient failure (no answer, 408, 429, 5xx) retries the whole batch with back-off; a 422 names the statements it
/// refuses (recorded as rejected, with the reasons) and the rest of the batch is sent again; a PUID the database has
/// already is recorded as submitted (a statement is never submitted twice). Each outcome is recorded in the store.
/// </summary>
public sealed class TransparencySubmission(IVigilStore store, TimeProvider time)
{
    /// <summary>How many attempts a batch gets when the endpoint fails transiently.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The wait before the first retry; it doubles with each one.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The statements created in [<paramref name="from"/>, <paramref name="to"/>), oldest first, in the database's
    /// schema, each with what Vigil's validation finds wrong in it.</summary>
    public async IAsyncEnumerable<ExportedStatement> ExportAsync(DateTimeOffset? from, DateTimeOffset? to, bool unsubmittedOnly, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long after = 0;
        while (true)
        {
            var page = await store.Statements.ListAsync(new StatementQuery(from, to, after, 500, unsubmittedOnly), cancellationToken);
            foreach (var stored in page)
            {
                var statement = TransparencyDatabase.ToTransparency(StatementsOfReasons.Read(stored));
                yield return new ExportedStatement(stored, statement, TransparencyValidator.Validate(statement));
            }

            if (page.Count < 500)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }

    /// <summary>Submits the statements not submitted yet (created in the range, if one is given) to <paramref name="endpoint"/>.</summary>
    public async Task<SubmissionSummary> SubmitAsync(
        HttpClient http, Uri endpoint, string token, DateTimeOffset? from, DateTimeOffset? to, IProgress<SubmissionProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        var pending = new List<(string Puid, TransparencyStatement Statement)>();
        await foreach (var exported in ExportAsync(from, to, unsubmittedOnly: true, cancellationToken))
        {
            pending.Add((exported.Stored.Puid, exported.Statement));
        }

        int submitted = 0, duplicates = 0, batches = 0, done = 0;
        var rejected = new List<(string, string)>();
        progress?.Report(new SubmissionProgress(0, pending.Count));
        foreach (var chunk in pending.Chunk(TransparencyDatabase.MaxBatch))
        {
            batches++;
            var outcome = await SendBatchAsync(http, endpoint, token, [.. chunk], cancellationToken);
            await RecordAsync(outcome, cancellationToken);
            submitted += outcome.Submitted.Count;
            duplicates += outcome.Duplicates.Count;
            rejected.AddRange(outcome.Rejected);
            done += outcome.Submitted.Count + outcome.Duplicates.Count + outcome.Rejected.Count;
            progress?.Report(new SubmissionProgress(done, pending.Count));
            if (outcome.Failure is not null)
            {
                return new SubmissionSummary(submitted, duplicates, rejected, batches, outcome.Failure);
            }
        }

        return new SubmissionSummary(submitted, duplicates, rejected, batches, null);
    }

    private sealed record BatchOutcome(List<string> Submitted, List<string> Duplicates, List<(string Puid, string Problem)> Rejected, string? Failure);

    private async Task<BatchOutcome> SendBatchAsync(HttpClient http, Uri endpoint, string token, List<(string Puid, TransparencyStatement Statement)> batch, CancellationToken cancellationToken)
    {
        var outcome = new BatchOutcome([], [], [], null);
        int attempt = 0;
        while (batch.Count > 0)
        {
            attempt++;
            HttpStatusCode? status = null;
            string body = "";
            string? transient = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
                {
                    Content = new StringContent(JsonSerializer.Serialize(new { statements = batch.Select(b => b.Statement) }, BatchJson), Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                using var response = await http.SendAsync(request, cancellationToken);
                status = response.StatusCode;
                body = await response.Content.ReadAsStringAsync(cancellationToken);
                if ((int)response.StatusCode is 408 or 429 or >= 500)
                {
                    transient = $"HTTP {(int)response.StatusCode}";
                }
            }
            catch (HttpRequestException e)
            {
                transient = e.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                transient = "timed out";
            }

            if (transient is not null)
            {
                if (attempt >= MaxAttempts)
                {
                    return outcome with { Failure = $"the endpoint failed {attempt} times for a batch of {batch.Count} ({transient}); those statements stay unsubmitted" };
                }

                await Task.Delay(FirstRetryDelay * Math.Pow(2, attempt - 1), time, cancellationToken);
                continue;
            }

            if (status is HttpStatusCode.Created or HttpStatusCode.OK)
            {
                outcome.Submitted.AddRange(batch.Select(b => b.Puid));
                return outcome;
            }

            if (status is HttpStatusCode.UnprocessableEntity && Refusals(body, batch) is { Count: > 0 } refusals)
            {
                foreach (var (puid, problem) in refusals)
                {
                    if (problem is null)
                    {
                        outcome.Duplicates.Add(puid);
                    }
                    else
                    {
                        outcome.Rejected.Add((puid, problem));
                    }
                }

                batch = [.. batch.Where(b => !refusals.ContainsKey(b.Puid))];
                continue;
            }

            return outcome with { Failure = $"the endpoint answered HTTP {(int)status!.Value}: {Clip(body)}" };
        }

        return outcome;
    }

    /// <summary>What a 422 refuses, by PUID: a problem, or null for a PUID the database has already. Its two shapes:
    /// <c>{"errors":{"statement_3":{"field":["message"]}}}</c> and <c>{"errors":{"puid":[...],"existing_puids":[...]}}</c>.</summary>
    private static Dictionary<string, string?> Refusals(string body, List<(string Puid, TransparencyStatement Statement)> batch)
    {
        var refusals = new Dictionary<string, string?>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object)
            {
                return refusals;
            }

            if (errors.TryGetProperty("existing_puids", out var existing) && existing.ValueKind == JsonValueKind.Array)
            {
                foreach (var puid in existing.EnumerateArray().Select(e => e.GetString()).OfType<string>().Where(p => batch.Any(b => b.Puid == p)))
                {
                    refusals[puid] = null;
                }
            }

            foreach (var entry in errors.EnumerateObject())
            {
                if (entry.Name.StartsWith("statement_", StringComparison.Ordinal)
                    && int.TryParse(entry.Name.AsSpan("statement_".Length), System.Globalization.CultureInfo.InvariantCulture, out int index)
                    && index >= 0 && index < batch.Count)
                {
                    refusals[batch[index].Puid] = Clip(Describe(entry.Value));
                }
            }
        }
        catch (JsonException)
        {
        }

        return refusals;
    }

    private static string Describe(JsonElement fields) =>
        fields.ValueKind != JsonValueKind.Object
            ? fields.ToString()
            : string.Join("; ", fields.EnumerateObject().Select(f => $"{f.Name}: {(f.Value.ValueKind == JsonValueKind.Array ? string.Join(" ", f.Value.EnumerateArray().Select(m => m.ToString())) : f.Value.ToString())}"));

    private static string Clip(string text) => text.Length <= 1000 ? text : text[..1000] + "…";

    private async Task RecordAsync(BatchOutcome outcome, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var puid in outcome.Submitted)
        {
            await unit.Statements.RecordSubmissionAsync(puid, "submitted", now, null, cancellationToken);
        }

        foreach (var puid in outcome.Duplicates)
        {
            await unit.Statements.RecordSubmissionAsync(puid, "duplicate", now, null, cancellationToken);
        }

        foreach (var (puid, problem) in outcome.Rejected)
        {
            await unit.Statements.RecordSubmissionAsync(puid, "rejected", now, problem, cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
    }

    /// <summary>The batch as the API takes it: null fields left out.</summary>
    public static JsonSerializerOptions BatchJson { get; } = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
}
