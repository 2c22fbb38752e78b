namespace Vigil.Core.Compliance;

/// <summary>A restriction a statement of reasons explains (DSA Art 17(1)), as the EU Transparency Database names them.</summary>
public enum Restriction
{
    /// <summary>The content was removed (visibility).</summary>
    Removal,

    /// <summary>Access to the content was disabled (visibility).</summary>
    Disabling,

    /// <summary>The content was demoted: less reach, not recommended (visibility).</summary>
    Demotion,

    /// <summary>The content was age-restricted (visibility).</summary>
    AgeRestriction,

    /// <summary>The account was suspended.</summary>
    AccountSuspension,

    /// <summary>The account was terminated.</summary>
    AccountTermination,
}

/// <summary>What a decision followed (DSA Art 17(3)(b)).</summary>
public enum DecisionSource
{
    /// <summary>The provider's own initiative (Vigil's detectors, a moderator's own review).</summary>
    OwnInitiative,

    /// <summary>A notice under DSA Art 16.</summary>
    Notice,

    /// <summary>A notice from a trusted flagger (DSA Art 22).</summary>
    TrustedFlagger,

    /// <summary>An order of an authority (a TCO removal order, a DSA Art 9 order).</summary>
    Order,
}

/// <summary>Whether the decision was taken by automated means (DSA Art 17(3)(c)).</summary>
public enum DecisionAutomation
{
    Fully,
    Partially,
    NotAutomated,
}

/// <summary>The ground of a decision (DSA Art 17(3)(d) and (e)).</summary>
public enum DecisionGround
{
    /// <summary>The content is illegal: the legal ground is cited.</summary>
    IllegalContent,

    /// <summary>The content is incompatible with the terms and conditions: the contractual ground is cited.</summary>
    IncompatibleContent,
}

/// <summary>
/// A statement of reasons (DSA Art 17; for terrorist content also TCO Art 11): what was restricted, where and for how
/// long, on which facts, whether automated means were used, on which legal or contractual ground, and the redress
/// available. It holds no personal data: no author, notifier, name, address or URL of the content; the platform joins it
/// to its user through <see cref="ContentId"/> (Vigil's id of the item) when it shows it.
/// </summary>
/// <param name="Puid">The platform's unique identifier of this statement: never reused (letters, digits, '-', '_').</param>
/// <param name="ContentId">Vigil's id of the content item (not sent to the Transparency Database).</param>
/// <param name="Restrictions">Art 17(3)(a): the restrictions imposed (at least one).</param>
/// <param name="TerritorialScope">Art 17(3)(a): where the restriction applies, as ISO 3166-1 alpha-2 codes of EEA states.</param>
/// <param name="Until">Art 17(3)(a): when the restriction ends; null when it is indefinite.</param>
/// <param name="Facts">Art 17(3)(b): the facts and circumstances relied on.</param>
/// <param name="Source">Art 17(3)(b): a notice, an order or own initiative.</param>
/// <param name="OrderReference">The reference of the order it followed, if any.</param>
/// <param name="AutomatedDetection">Art 17(3)(c): whether the content was detected by automated means.</param>
/// <param name="Automation">Art 17(3)(c): whether the decision was taken by automated means.</param>
/// <param name="Ground">Art 17(3)(d)/(e): illegal content or incompatible with the terms and conditions.</param>
/// <param name="LegalGround">Art 17(3)(d): the legal provisions relied on (illegal content).</param>
/// <param name="LegalExplanation">Art 17(3)(d): why the content is illegal on that ground.</param>
/// <param name="TermsGround">Art 17(3)(e): the contractual ground (incompatible content).</param>
/// <param name="TermsExplanation">Art 17(3)(e): why the content is incompatible with it.</param>
/// <param name="Labels">Vigil's category ids the decision rests on (for the category and keywords).</param>
/// <param name="ContentTypes">The content's part types (<c>text</c>, <c>image</c>).</param>
/// <param name="ContentDate">When the content was posted (as far as Vigil knows: when it was received).</param>
/// <param name="AppliedAt">When the restriction was decided.</param>
/// <param name="Redress">Art 17(3)(f): the redress available to the recipient.</param>
/// <param name="DisclosureWithheldUntil">An order withholds disclosure to the uploader until then (TCO Art 11(3)).</param>
public sealed record StatementOfReasons(
    string Puid,
    long ContentId,
    IReadOnlyList<Restriction> Restrictions,
    IReadOnlyList<string> TerritorialScope,
    DateTimeOffset? Until,
    string Facts,
    DecisionSource Source,
    string? OrderReference,
    bool AutomatedDetection,
    DecisionAutomation Automation,
    DecisionGround Ground,
    string? LegalGround,
    string? LegalExplanation,
    string? TermsGround,
    string? TermsExplanation,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> ContentTypes,
    DateTimeOffset ContentDate,
    DateTimeOffset AppliedAt,
    string Redress,
    DateTimeOffset? DisclosureWithheldUntil = null)
{
    /// <summary>The redress every statement names (Art 17(3)(f)): the internal complaint system (Art 20), out-of-court
    /// dispute settlement (Art 21) and the courts; for terrorist content also TCO Art 10 and Art 9.</summary>
    public static string RedressFor(IReadOnlyList<string> labels) =>
        "You can contest this decision through our internal complaint-handling system within six months (DSA Art 20), "
        + "refer it to a certified out-of-court dispute settlement body (DSA Art 21), or seek redress before a court."
        + (labels.Any(l => Taxonomy.TryGet(l, out var c) && c.IsTerrorism)
            ? " For the removal of terrorist content you may also complain under Regulation (EU) 2021/784 Art 10 and challenge a removal order before the courts of the issuing Member State (Art 9)."
            : "");
}
