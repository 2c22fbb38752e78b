using System.Text.Json.Serialization;

namespace Vigil.Core.Compliance;

/// <summary>
/// A statement of reasons in the EU DSA Transparency Database's API schema (<c>POST /api/v1/statement</c>, and each item of
/// <c>POST /api/v1/statements</c>), field by field as the database's request validation names them
/// (digital-services-act/transparency-database, <c>StatementStoreRequest</c> and <c>GroupedSubmissionsService</c>).
/// Only the fields Vigil fills are here; null ones are left out of the JSON.
/// </summary>
public sealed record TransparencyStatement
{
    [JsonPropertyName("decision_visibility")]
    public IReadOnlyList<string>? DecisionVisibility { get; init; }

    [JsonPropertyName("decision_visibility_other")]
    public string? DecisionVisibilityOther { get; init; }

    [JsonPropertyName("end_date_visibility_restriction")]
    public string? EndDateVisibilityRestriction { get; init; }

    [JsonPropertyName("decision_monetary")]
    public string? DecisionMonetary { get; init; }

    [JsonPropertyName("decision_provision")]
    public string? DecisionProvision { get; init; }

    [JsonPropertyName("decision_account")]
    public string? DecisionAccount { get; init; }

    [JsonPropertyName("end_date_account_restriction")]
    public string? EndDateAccountRestriction { get; init; }

    [JsonPropertyName("decision_ground")]
    public string? DecisionGround { get; init; }

    [JsonPropertyName("decision_ground_reference_url")]
    public string? DecisionGroundReferenceUrl { get; init; }

    [JsonPropertyName("illegal_content_legal_ground")]
    public string? IllegalContentLegalGround { get; init; }

    [JsonPropertyName("illegal_content_explanation")]
    public string? IllegalContentExplanation { get; init; }

    [JsonPropertyName("incompatible_content_ground")]
    public string? IncompatibleContentGround { get; init; }

    [JsonPropertyName("incompatible_content_explanation")]
    public string? IncompatibleContentExplanation { get; init; }

    [JsonPropertyName("incompatible_content_illegal")]
    public string? IncompatibleContentIllegal { get; init; }

    [JsonPropertyName("category")]
    public string? Category { get; init; }

    [JsonPropertyName("category_addition")]
    public IReadOnlyList<string>? CategoryAddition { get; init; }

    [JsonPropertyName("category_specification")]
    public IReadOnlyList<string>? CategorySpecification { get; init; }

    [JsonPropertyName("content_type")]
    public IReadOnlyList<string>? ContentType { get; init; }

    [JsonPropertyName("content_type_other")]
    public string? ContentTypeOther { get; init; }

    [JsonPropertyName("content_date")]
    public string? ContentDate { get; init; }

    [JsonPropertyName("application_date")]
    public string? ApplicationDate { get; init; }

    [JsonPropertyName("decision_facts")]
    public string? DecisionFacts { get; init; }

    [JsonPropertyName("source_type")]
    public string? SourceType { get; init; }

    [JsonPropertyName("source_identity")]
    public string? SourceIdentity { get; init; }

    [JsonPropertyName("automated_detection")]
    public string? AutomatedDetection { get; init; }

    [JsonPropertyName("automated_decision")]
    public string? AutomatedDecision { get; init; }

    [JsonPropertyName("territorial_scope")]
    public IReadOnlyList<string>? TerritorialScope { get; init; }

    [JsonPropertyName("puid")]
    public string? Puid { get; init; }
}
