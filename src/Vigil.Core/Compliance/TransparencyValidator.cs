using System.Globalization;

namespace Vigil.Core.Compliance;

/// <summary>One rule a statement breaks: the field and why.</summary>
public sealed record StatementProblem(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>
/// The EU DSA Transparency Database's validation of a statement (the rules of its <c>StatementStoreRequest</c> and of
/// each item of a batch), applied before a statement is stored or exported, so that what Vigil sends is accepted: required
/// fields, the enumerations, the "other" fields, the ground-dependent fields, lengths, dates and their ranges, the
/// territorial scope and the PUID's pattern. Where Vigil is stricter (keywords: only those its categories use) it says so.
/// </summary>
public static class TransparencyValidator
{
    private const int PuidMax = 500;

    public static IReadOnlyList<StatementProblem> Validate(TransparencyStatement s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var problems = new List<StatementProblem>();
        void Fail(string field, string message) => problems.Add(new StatementProblem(field, message));

        if (Missing(s.DecisionVisibility) && Missing(s.DecisionMonetary) && Missing(s.DecisionProvision) && Missing(s.DecisionAccount))
        {
            Fail("decision_visibility", "one of decision_visibility, decision_monetary, decision_provision and decision_account is required");
        }

        AllIn(s.DecisionVisibility, TransparencyDatabase.Visibilities, "decision_visibility", Fail);
        Other(s.DecisionVisibility?.Contains("DECISION_VISIBILITY_OTHER") == true, s.DecisionVisibilityOther, "decision_visibility_other", Fail);
        In(s.DecisionMonetary, TransparencyDatabase.Monetaries, "decision_monetary", Fail);
        In(s.DecisionProvision, TransparencyDatabase.Provisions, "decision_provision", Fail);
        In(s.DecisionAccount, TransparencyDatabase.Accounts, "decision_account", Fail);

        Required(s.DecisionGround, "decision_ground", Fail);
        In(s.DecisionGround, TransparencyDatabase.Grounds, "decision_ground", Fail);
        MaxLength(s.DecisionGroundReferenceUrl, 500, "decision_ground_reference_url", Fail);
        if (s.DecisionGroundReferenceUrl is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            Fail("decision_ground_reference_url", "must be a URL");
        }

        bool illegal = s.DecisionGround == TransparencyDatabase.GroundIllegal;
        bool incompatible = s.DecisionGround == TransparencyDatabase.GroundIncompatible;
        Dependent(illegal, s.IllegalContentLegalGround, 500, "illegal_content_legal_ground", Fail);
        Dependent(illegal, s.IllegalContentExplanation, 2000, "illegal_content_explanation", Fail);
        Dependent(incompatible, s.IncompatibleContentGround, 500, "incompatible_content_ground", Fail);
        Dependent(incompatible, s.IncompatibleContentExplanation, 2000, "incompatible_content_explanation", Fail);
        In(s.IncompatibleContentIllegal, ["Yes", "No"], "incompatible_content_illegal", Fail);

        Required(s.ContentType, "content_type", Fail);
        AllIn(s.ContentType, TransparencyDatabase.ContentTypes, "content_type", Fail);
        Other(s.ContentType?.Contains("CONTENT_TYPE_OTHER") == true, s.ContentTypeOther, "content_type_other", Fail);

        Required(s.Category, "category", Fail);
        In(s.Category, TransparencyDatabase.Categories, "category", Fail);
        AllIn(s.CategoryAddition, TransparencyDatabase.Categories, "category_addition", Fail);
        AllIn(s.CategorySpecification, TransparencyDatabase.Keywords, "category_specification", Fail);
        AllIn(s.TerritorialScope, TransparencyDatabase.CountryCodes, "territorial_scope", Fail);

        DateIn(s.ContentDate, "content_date", new DateOnly(2000, 1, 1), required: true, Fail);
        DateIn(s.ApplicationDate, "application_date", new DateOnly(2020, 1, 1), required: true, Fail);
        DateIn(s.EndDateVisibilityRestriction, "end_date_visibility_restriction", DateOnly.MinValue, required: false, Fail);
        DateIn(s.EndDateAccountRestriction, "end_date_account_restriction", DateOnly.MinValue, required: false, Fail);

        Required(s.DecisionFacts, "decision_facts", Fail);
        MaxLength(s.DecisionFacts, 5000, "decision_facts", Fail);
        Required(s.SourceType, "source_type", Fail);
        In(s.SourceType, TransparencyDatabase.SourceTypes, "source_type", Fail);
        MaxLength(s.SourceIdentity, 500, "source_identity", Fail);
        if (s.SourceType == TransparencyDatabase.SourceVoluntary && !Missing(s.SourceIdentity))
        {
            Fail("source_identity", "is only given for a notice or an order, not for SOURCE_VOLUNTARY");
        }

        Required(s.AutomatedDetection, "automated_detection", Fail);
        In(s.AutomatedDetection, TransparencyDatabase.AutomatedDetections, "automated_detection", Fail);
        Required(s.AutomatedDecision, "automated_decision", Fail);
        In(s.AutomatedDecision, TransparencyDatabase.AutomatedDecisions, "automated_decision", Fail);

        Required(s.Puid, "puid", Fail);
        if (s.Puid is { Length: > 0 } puid && !IsPuid(puid))
        {
            Fail("puid", $"must be 1-{PuidMax} characters of A-Z, a-z, 0-9, '-' and '_'");
        }

        return problems;
    }

    /// <summary>The database's PUID pattern: <c>^[a-zA-Z0-9-_]+$</c>, at most 500 characters.</summary>
    public static bool IsPuid(string puid) =>
        puid.Length is > 0 and <= PuidMax && puid.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>A batch's own rules: 1 to <see cref="TransparencyDatabase.MaxBatch"/> statements, no PUID twice.</summary>
    public static IReadOnlyList<StatementProblem> ValidateBatch(IReadOnlyList<TransparencyStatement> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var problems = new List<StatementProblem>();
        if (batch.Count is < 1 or > TransparencyDatabase.MaxBatch)
        {
            problems.Add(new StatementProblem("statements", $"a batch holds 1-{TransparencyDatabase.MaxBatch} statements, not {batch.Count}"));
        }

        foreach (var twice in batch.Select(s => s.Puid).OfType<string>().GroupBy(p => p, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(new StatementProblem("puid", $"'{twice.Key}' is in the batch {twice.Count()} times"));
        }

        return problems;
    }

    private static bool Missing(string? value) => string.IsNullOrWhiteSpace(value);

    private static bool Missing(IReadOnlyList<string>? values) => values is null || values.Count == 0;

    private static void Required(string? value, string field, Action<string, string> fail)
    {
        if (Missing(value))
        {
            fail(field, "is required");
        }
    }

    private static void Required(IReadOnlyList<string>? values, string field, Action<string, string> fail)
    {
        if (Missing(values))
        {
            fail(field, "is required");
        }
    }

    private static void In(string? value, IReadOnlyList<string> allowed, string field, Action<string, string> fail)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            fail(field, $"'{value}' is not one of the allowed values");
        }
    }

    private static void AllIn(IReadOnlyList<string>? values, IReadOnlyList<string> allowed, string field, Action<string, string> fail)
    {
        foreach (var value in values ?? [])
        {
            In(value, allowed, field, fail);
        }
    }

    private static void MaxLength(string? value, int max, string field, Action<string, string> fail)
    {
        if (value is not null && value.Length > max)
        {
            fail(field, $"is {value.Length} characters; at most {max}");
        }
    }

    /// <summary>An "other" field: required (at most 500 characters) when its choice is "other", left out otherwise.</summary>
    private static void Other(bool chosen, string? value, string field, Action<string, string> fail)
    {
        if (chosen)
        {
            Required(value, field, fail);
            MaxLength(value, 500, field, fail);
        }
        else if (value is not null)
        {
            fail(field, "is only given with the choice 'other'");
        }
    }

    /// <summary>A field the ground asks for: required then (at most <paramref name="max"/> characters), left out otherwise.</summary>
    private static void Dependent(bool applies, string? value, int max, string field, Action<string, string> fail)
    {
        if (applies)
        {
            Required(value, field, fail);
            MaxLength(value, max, field, fail);
        }
        else if (value is not null)
        {
            fail(field, "is only given with its decision ground");
        }
    }

    private static void DateIn(string? value, string field, DateOnly earliest, bool required, Action<string, string> fail)
    {
        if (value is null)
        {
            if (required)
            {
                fail(field, "is required");
            }

            return;
        }

        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            fail(field, "does not match the format YYYY-MM-DD");
        }
        else if (date < earliest || date > new DateOnly(2038, 1, 1))
        {
            fail(field, $"must be between {earliest:yyyy-MM-dd} and 2038-01-01");
        }
    }
}
