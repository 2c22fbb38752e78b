using System.Text.Json;
using Vigil.Core;
using Vigil.Core.Compliance;
using Vigil.Moderation.Webhooks;
using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;
using Vigil.Storage.Content;

namespace Vigil.Moderation.Compliance;

/// <summary>What a decision followed, as the use case that records it knows.</summary>
/// <param name="OrderReference">The order's reference, for <see cref="DecisionSource.Order"/>.</param>
/// <param name="DisclosureWithheldUntil">An order withholds disclosure to the uploader until then.</param>
public sealed record DecisionOrigin(DecisionSource Source, string? OrderReference = null, DateTimeOffset? DisclosureWithheldUntil = null)
{
    public static DecisionOrigin OwnInitiative { get; } = new(DecisionSource.OwnInitiative);
}

/// <summary>
/// Statements of reasons (DSA Art 17, TCO Art 11): every restricting decision gets one, built here from the decision, its
/// case and the content's verdict, checked against the EU Transparency Database's rules, stored under a PUID that is never
/// reused, and announced to the platform (webhook <c>statement_of_reasons.created</c>) at once, or when an order's
/// withholding of disclosure ends (<see cref="DiscloseDueAsync"/>).
/// </summary>
public static class StatementsOfReasons
{
    /// <summary>Who records that a statement is withheld, and discloses it when the withholding ends.</summary>
    public const string WithholdingActor = "system:statements";

    /// <summary>The decisions that restrict content (and so need a statement).</summary>
    public static bool Restricts(ReviewDecision decision) =>
        decision is ReviewDecision.Remove or ReviewDecision.Restrict or ReviewDecision.ReportThreatToLife;

    /// <summary>The PUID of the statement of a decision: the prefix, <c>-d</c> and the decision's id.</summary>
    public static string PuidFor(StatementSettings settings, Decision decision) => $"{settings.PuidPrefix}-d{decision.Id}";

    /// <summary>
    /// The statement for a restricting decision (null for one that restricts nothing). Its facts and explanations come from
    /// Vigil's categories and the decision's kind: never from the content, its author or the moderator's own words.
    /// </summary>
    public static StatementOfReasons? Build(Decision decision, ReviewCase reviewCase, ContentItem content, DecisionOrigin origin, StatementSettings settings)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(reviewCase);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(settings);
        if (!Restricts(decision.Value))
        {
            return null;
        }

        var labels = reviewCase.Labels.Where(l => Taxonomy.TryGet(l, out _)).ToList();
        var categories = labels.Select(Taxonomy.Get).ToList();
        var restriction = decision.Value == ReviewDecision.Restrict ? Restriction.Demotion : Restriction.Removal;
        var ground = restriction == Restriction.Removal && labels.Count > 0 ? DecisionGround.IllegalContent : DecisionGround.IncompatibleContent;
        bool automatedDetection = origin.Source == DecisionSource.OwnInitiative && reviewCase.Verdict != VerdictKind.Clear;
        var automation = reviewCase.Verdict != VerdictKind.Clear ? DecisionAutomation.Partially : DecisionAutomation.NotAutomated;
        string assessed = categories.Count == 0 ? "no category of Vigil's taxonomy" : string.Join("; ", categories.Select(c => $"{c.Title} ({c.Id})"));
        string parts = string.Join(" and ", ContentTypes(content).Select(t => t == "image" ? "an image" : "a text"));
        string facts = string.Join(
            " ",
            $"The content ({parts}) was assessed as: {assessed}.",
            origin.Source switch
            {
                DecisionSource.Notice => "It was reported in a notice (DSA Art 16).",
                DecisionSource.TrustedFlagger => "It was reported in a notice by a trusted flagger (DSA Art 22).",
                DecisionSource.Order => origin.OrderReference is { } reference
                    ? $"It was the subject of the removal order {reference} of a competent authority (Regulation (EU) 2021/784 Art 3)."
                    : "It was the subject of a removal order of a competent authority (Regulation (EU) 2021/784 Art 3).",
                _ => automatedDetection ? "It was detected by automated means on the provider's own initiative." : "It was found on the provider's own initiative.",
            },
            $"A moderator reviewed it and decided: {Describe(restriction)}.");
        string explanation = categories.Count == 0
            ? "The content was found incompatible with the terms and conditions."
            : string.Join(" ", categories.Select(c => $"{c.Title}: {c.Description}"));
        return new StatementOfReasons(
            PuidFor(settings, decision),
            content.Id,
            [restriction],
            settings.TerritorialScope,
            null,
            facts,
            origin.Source,
            origin.OrderReference,
            automatedDetection,
            automation,
            ground,
            ground == DecisionGround.IllegalContent ? LegalGround(categories, content.Result.Verdict.LegalBasis) : null,
            ground == DecisionGround.IllegalContent ? explanation : null,
            ground == DecisionGround.IncompatibleContent ? settings.TermsGround : null,
            ground == DecisionGround.IncompatibleContent ? explanation : null,
            labels,
            ContentTypes(content),
            content.ReceivedAt,
            decision.DecidedAt,
            StatementOfReasons.RedressFor(labels),
            origin.DisclosureWithheldUntil);
    }

    /// <summary>
    /// Stores <paramref name="statement"/> in <paramref name="unit"/> and, unless disclosure is withheld beyond
    /// <paramref name="now"/>, queues its webhook. Refuses (<see cref="InvalidOperationException"/>) a statement the
    /// Transparency Database would refuse, and a PUID used before.
    /// </summary>
    public static async Task<StoredStatement> RecordAsync(IUnitOfWork unit, StatementOfReasons statement, long? decisionId, ContentItem content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(content);
        var problems = TransparencyValidator.Validate(TransparencyDatabase.ToTransparency(statement));
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"The statement of reasons {statement.Puid} breaks the Transparency Database's rules: {string.Join("; ", problems)}.");
        }

        if (await unit.Statements.GetByPuidAsync(statement.Puid, cancellationToken) is not null)
        {
            throw new InvalidOperationException($"The PUID {statement.Puid} was used before; a PUID is never reused.");
        }

        var discloseAt = statement.DisclosureWithheldUntil is { } until && until > now ? until : (DateTimeOffset?)null;
        var stored = await unit.Statements.InsertAsync(
            new NewStatement(statement.Puid, decisionId, content.Id, JsonSerializer.Serialize(statement, StatementJson.Options), now, discloseAt), cancellationToken);
        if (discloseAt is null)
        {
            await DiscloseAsync(unit, stored, statement, content, now, cancellationToken);
        }
        else
        {
            // TCO Art 11(3): the record says that, and until when, the uploader is not told.
            await unit.Audit.AppendAsync(
                new AuditRecord(WithholdingActor, "statement_of_reasons.withheld", $"content:{content.Id}", Preservations.Details(new()
                {
                    ["puid"] = statement.Puid,
                    ["decision_id"] = decisionId,
                    ["order_reference"] = statement.OrderReference,
                    ["until"] = discloseAt,
                })),
                now,
                cancellationToken);
        }

        return stored;
    }

    /// <summary>Announces the statements whose withholding ended by now (one unit of work); returns how many.</summary>
    public static async Task<int> DiscloseDueAsync(IVigilStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        var due = await unit.Statements.ListDisclosureDueAsync(now, 500, cancellationToken);
        foreach (var stored in due)
        {
            var content = await unit.Content.GetAsync(stored.ContentId, cancellationToken);
            await DiscloseAsync(unit, stored, Read(stored), content, now, cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
        return due.Count;
    }

    /// <summary>The statement a stored row holds.</summary>
    public static StatementOfReasons Read(StoredStatement stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return JsonSerializer.Deserialize<StatementOfReasons>(stored.Json, StatementJson.Options)
            ?? throw new InvalidDataException($"The statement {stored.Puid} is empty.");
    }

    private static async Task DiscloseAsync(IUnitOfWork unit, StoredStatement stored, StatementOfReasons statement, ContentItem? content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await WebhookEvents.PublishAsync(
            unit,
            WebhookEvents.StatementOfReasonsCreated,
            new
            {
                Event = WebhookEvents.StatementOfReasonsCreated,
                Statement = JsonSerializer.SerializeToElement(statement, StatementJson.Options),
                Content = new { content?.Id, ContentId = content?.PlatformContentId, content?.AuthorId, content?.Url },
            },
            now,
            cancellationToken);
        await unit.Statements.MarkDisclosedAsync(stored.Id, now, cancellationToken);
    }

    private static List<string> ContentTypes(ContentItem content)
    {
        var types = new List<string>();
        if (content.Text is not null)
        {
            types.Add("text");
        }

        types.AddRange(content.Parts.Select(p => p.Type).Where(t => t != "text").Distinct());
        return types.Count > 0 ? types : ["text"];
    }

    private static string LegalGround(IReadOnlyList<Category> categories, IReadOnlyList<string> legalBasis)
    {
        var grounds = new List<string>();
        if (categories.Any(c => c.IsTerrorism))
        {
            grounds.Add("Regulation (EU) 2021/784 Art 2(7) and Directive (EU) 2017/541 Art 3-12 (terrorist content)");
        }

        if (categories.Any(c => c.Id == Taxonomy.Hate.Id))
        {
            grounds.Add("Council Framework Decision 2008/913/JHA Art 1 (illegal hate speech)");
        }

        grounds.AddRange(legalBasis.Where(b => !grounds.Contains(b)));
        return string.Join("; ", grounds);
    }

    private static string Describe(Restriction restriction) => restriction switch
    {
        Restriction.Removal => "removal of the content",
        Restriction.Disabling => "disabling access to the content",
        Restriction.Demotion => "demotion of the content (less reach, not recommended)",
        Restriction.AgeRestriction => "age restriction of the content",
        Restriction.AccountSuspension => "suspension of the account",
        _ => "termination of the account",
    };
}

/// <summary>How statements are kept and announced: the wire's snake_case, enums by name in snake_case.</summary>
public static class StatementJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(Wire.WireJson.Options);
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return options;
    }
}
