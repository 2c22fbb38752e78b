using System.Globalization;

namespace Vigil.Core.Compliance;

/// <summary>
/// The EU DSA Transparency Database's vocabulary and rules (checked against digital-services-act/transparency-database,
/// <c>app/Models/Statement.php</c>, <c>app/Http/Requests/StatementStoreRequest.php</c>,
/// <c>app/Services/GroupedSubmissionsService.php</c>, <c>app/Services/EuropeanCountriesService.php</c>), and the mapping of
/// Vigil's statements of reasons onto it.
/// </summary>
public static class TransparencyDatabase
{
    /// <summary>At most this many statements per call of <c>POST /api/v1/statements</c>.</summary>
    public const int MaxBatch = 100;

    public const string GroundIllegal = "DECISION_GROUND_ILLEGAL_CONTENT";
    public const string GroundIncompatible = "DECISION_GROUND_INCOMPATIBLE_CONTENT";
    public const string CategoryPublicSecurity = "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY";
    public const string CategoryIllegalSpeech = "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH";
    public const string CategoryOtherTerms = "STATEMENT_CATEGORY_OTHER_VIOLATION_TC";
    public const string KeywordTerroristContent = "KEYWORD_TERRORIST_CONTENT";
    public const string KeywordHateSpeech = "KEYWORD_HATE_SPEECH";
    public const string SourceVoluntary = "SOURCE_VOLUNTARY";

    public static IReadOnlyList<string> Visibilities { get; } =
    [
        "DECISION_VISIBILITY_CONTENT_REMOVED", "DECISION_VISIBILITY_CONTENT_DISABLED", "DECISION_VISIBILITY_CONTENT_DEMOTED",
        "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED", "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED", "DECISION_VISIBILITY_CONTENT_LABELLED",
        "DECISION_VISIBILITY_OTHER",
    ];

    public static IReadOnlyList<string> Monetaries { get; } = ["DECISION_MONETARY_SUSPENSION", "DECISION_MONETARY_TERMINATION", "DECISION_MONETARY_OTHER"];

    public static IReadOnlyList<string> Provisions { get; } =
    [
        "DECISION_PROVISION_PARTIAL_SUSPENSION", "DECISION_PROVISION_TOTAL_SUSPENSION", "DECISION_PROVISION_PARTIAL_TERMINATION",
        "DECISION_PROVISION_TOTAL_TERMINATION",
    ];

    public static IReadOnlyList<string> Accounts { get; } = ["DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"];

    public static IReadOnlyList<string> Grounds { get; } = [GroundIllegal, GroundIncompatible];

    public static IReadOnlyList<string> ContentTypes { get; } =
    [
        "CONTENT_TYPE_APP", "CONTENT_TYPE_AUDIO", "CONTENT_TYPE_IMAGE", "CONTENT_TYPE_PRODUCT", "CONTENT_TYPE_SYNTHETIC_MEDIA",
        "CONTENT_TYPE_TEXT", "CONTENT_TYPE_VIDEO", "CONTENT_TYPE_OTHER",
    ];

    public static IReadOnlyList<string> Categories { get; } =
    [
        "STATEMENT_CATEGORY_ANIMAL_WELFARE", "STATEMENT_CATEGORY_CONSUMER_INFORMATION", "STATEMENT_CATEGORY_CYBER_VIOLENCE",
        "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN", "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
        CategoryIllegalSpeech, "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS", "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE", CategoryOtherTerms,
        "STATEMENT_CATEGORY_PROTECTION_OF_MINORS", CategoryPublicSecurity, "STATEMENT_CATEGORY_SCAMS_AND_FRAUD", "STATEMENT_CATEGORY_SELF_HARM",
        "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS", "STATEMENT_CATEGORY_VIOLENCE",
    ];

    /// <summary>The keywords Vigil's categories use (the database knows many more; any other is refused here, which is
    /// stricter than the database, never looser).</summary>
    public static IReadOnlyList<string> Keywords { get; } =
        [KeywordTerroristContent, KeywordHateSpeech, "KEYWORD_INCITEMENT_VIOLENCE_HATRED", "KEYWORD_ILLEGAL_ORGANIZATIONS", "KEYWORD_OTHER"];

    public static IReadOnlyList<string> SourceTypes { get; } = ["SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER", "SOURCE_TYPE_OTHER_NOTIFICATION", SourceVoluntary];

    /// <summary><c>automated_detection</c> takes the values themselves.</summary>
    public static IReadOnlyList<string> AutomatedDetections { get; } = ["Yes", "No"];

    public static IReadOnlyList<string> AutomatedDecisions { get; } = ["AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY", "AUTOMATED_DECISION_NOT_AUTOMATED"];

    /// <summary>The country codes <c>territorial_scope</c> accepts: the EEA (EU 27, Iceland, Liechtenstein, Norway).</summary>
    public static IReadOnlyList<string> CountryCodes { get; } =
    [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU",
        "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
    ];

    /// <summary>
    /// The statement in the database's schema. Personal data never enters it: the facts and explanations are built from
    /// Vigil's categories and the decision's kind, not from the content, its author, the notifier or a moderator's words;
    /// <see cref="StatementOfReasons.ContentId"/> stays out.
    /// </summary>
    public static TransparencyStatement ToTransparency(StatementOfReasons s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var visibility = s.Restrictions.Select(r => r switch
        {
            Restriction.Removal => "DECISION_VISIBILITY_CONTENT_REMOVED",
            Restriction.Disabling => "DECISION_VISIBILITY_CONTENT_DISABLED",
            Restriction.Demotion => "DECISION_VISIBILITY_CONTENT_DEMOTED",
            Restriction.AgeRestriction => "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
            _ => null,
        }).OfType<string>().Distinct().ToList();
        string? account = s.Restrictions.Contains(Restriction.AccountTermination) ? "DECISION_ACCOUNT_TERMINATED"
            : s.Restrictions.Contains(Restriction.AccountSuspension) ? "DECISION_ACCOUNT_SUSPENDED" : null;
        var (category, additions, keywords) = Classify(s.Labels, s.Ground);
        string? until = s.Until is { } end ? Date(end) : null;
        bool illegal = s.Ground == Compliance.DecisionGround.IllegalContent;
        return new TransparencyStatement
        {
            DecisionVisibility = visibility.Count > 0 ? visibility : null,
            EndDateVisibilityRestriction = visibility.Count > 0 ? until : null,
            DecisionAccount = account,
            EndDateAccountRestriction = account is not null ? until : null,
            DecisionGround = illegal ? GroundIllegal : GroundIncompatible,
            IllegalContentLegalGround = illegal ? Clip(s.LegalGround, 500) : null,
            IllegalContentExplanation = illegal ? Clip(s.LegalExplanation, 2000) : null,
            IncompatibleContentGround = illegal ? null : Clip(s.TermsGround, 500),
            IncompatibleContentExplanation = illegal ? null : Clip(s.TermsExplanation, 2000),
            IncompatibleContentIllegal = illegal ? null : s.Labels.Count > 0 ? "Yes" : "No",
            Category = category,
            CategoryAddition = additions.Count > 0 ? additions : null,
            CategorySpecification = keywords.Count > 0 ? keywords : null,
            ContentType = [.. s.ContentTypes.Select(t => t switch { "text" => "CONTENT_TYPE_TEXT", "image" => "CONTENT_TYPE_IMAGE", _ => "CONTENT_TYPE_OTHER" }).Distinct()],
            ContentTypeOther = s.ContentTypes.Any(t => t is not ("text" or "image")) ? "Other media" : null,
            ContentDate = Date(s.ContentDate),
            ApplicationDate = Date(s.AppliedAt),
            DecisionFacts = Clip(s.Facts, 5000),
            SourceType = s.Source switch
            {
                DecisionSource.Notice => "SOURCE_ARTICLE_16",
                DecisionSource.TrustedFlagger => "SOURCE_TRUSTED_FLAGGER",
                DecisionSource.Order => "SOURCE_TYPE_OTHER_NOTIFICATION",
                _ => SourceVoluntary,
            },
            SourceIdentity = s.Source == DecisionSource.Order && s.OrderReference is { Length: > 0 } reference ? Clip(OrderIdentity(reference), 500) : null,
            AutomatedDetection = s.AutomatedDetection ? "Yes" : "No",
            AutomatedDecision = s.Automation switch
            {
                DecisionAutomation.Fully => "AUTOMATED_DECISION_FULLY",
                DecisionAutomation.Partially => "AUTOMATED_DECISION_PARTIALLY",
                _ => "AUTOMATED_DECISION_NOT_AUTOMATED",
            },
            TerritorialScope = [.. s.TerritorialScope],
            Puid = s.Puid,
        };
    }

    /// <summary>The category, additional categories and keywords for Vigil's labels: terrorism → risk for public security
    /// with the terrorist-content keyword; hate → illegal or harmful speech with the hate-speech keyword; no label → another
    /// violation of the terms and conditions.</summary>
    public static (string Category, IReadOnlyList<string> Additions, IReadOnlyList<string> Keywords) Classify(IReadOnlyList<string> labels, DecisionGround ground)
    {
        ArgumentNullException.ThrowIfNull(labels);
        bool terrorism = labels.Any(l => Taxonomy.TryGet(l, out var c) && c.IsTerrorism);
        bool hate = labels.Contains(Taxonomy.Hate.Id, StringComparer.Ordinal);
        var categories = new List<string>();
        var keywords = new List<string>();
        if (terrorism)
        {
            categories.Add(CategoryPublicSecurity);
            keywords.Add(KeywordTerroristContent);
        }

        if (hate)
        {
            categories.Add(CategoryIllegalSpeech);
            keywords.Add(KeywordHateSpeech);
        }

        if (categories.Count == 0)
        {
            categories.Add(ground == Compliance.DecisionGround.IllegalContent ? "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE" : CategoryOtherTerms);
        }

        return (categories[0], categories.Skip(1).ToList(), keywords);
    }

    /// <summary>The <c>source_identity</c> of a statement for a decision taken on a removal order: the order's reference
    /// (the authority's number, no personal data) and its legal basis.</summary>
    public static string OrderIdentity(string reference) => $"Removal order {reference} (Regulation (EU) 2021/784 Art 3)";

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Clip(string? text, int max) => text is null || text.Length <= max ? text : text[..(max - 1)] + "…";
}
