using Vigil.Core.Compliance;

namespace Vigil.Core.Tests;

/// <summary>The EU DSA Transparency Database's rules, as Vigil applies them before storing, exporting or submitting.</summary>
public sealed class TransparencyValidatorTests
{
    private static readonly TransparencyStatement Valid = new()
    {
        DecisionVisibility = ["DECISION_VISIBILITY_CONTENT_REMOVED"],
        DecisionGround = TransparencyDatabase.GroundIllegal,
        IllegalContentLegalGround = "Regulation (EU) 2021/784 Art 2(7)",
        IllegalContentExplanation = "Terrorist publication.",
        Category = TransparencyDatabase.CategoryPublicSecurity,
        CategorySpecification = [TransparencyDatabase.KeywordTerroristContent],
        ContentType = ["CONTENT_TYPE_TEXT"],
        ContentDate = "2026-03-01",
        ApplicationDate = "2026-03-02",
        DecisionFacts = "The content was assessed as a terrorist publication.",
        SourceType = TransparencyDatabase.SourceVoluntary,
        AutomatedDetection = "Yes",
        AutomatedDecision = "AUTOMATED_DECISION_PARTIALLY",
        TerritorialScope = ["DE", "FR"],
        Puid = "vigil-d1",
    };

    private static IReadOnlyList<string> FieldsBroken(TransparencyStatement s) => [.. TransparencyValidator.Validate(s).Select(p => p.Field).Distinct()];

    [Fact]
    public void A_complete_statement_passes() => Assert.Empty(TransparencyValidator.Validate(Valid));

    [Fact]
    public void Required_fields_are_required()
    {
        Assert.Equal(
            ["decision_visibility", "decision_ground", "content_type", "category", "content_date", "application_date", "decision_facts", "source_type", "automated_detection", "automated_decision", "puid"],
            FieldsBroken(new TransparencyStatement()));
        Assert.Equal(["decision_facts"], FieldsBroken(Valid with { DecisionFacts = " " }));
        Assert.Equal(["content_type"], FieldsBroken(Valid with { ContentType = [] }));
    }

    [Fact]
    public void One_restriction_of_any_kind_is_enough()
    {
        Assert.Empty(TransparencyValidator.Validate(Valid with { DecisionVisibility = null, DecisionAccount = "DECISION_ACCOUNT_SUSPENDED" }));
        Assert.Empty(TransparencyValidator.Validate(Valid with { DecisionVisibility = null, DecisionProvision = "DECISION_PROVISION_TOTAL_SUSPENSION" }));
        Assert.Empty(TransparencyValidator.Validate(Valid with { DecisionVisibility = null, DecisionMonetary = "DECISION_MONETARY_SUSPENSION" }));
        Assert.Equal(["decision_visibility"], FieldsBroken(Valid with { DecisionVisibility = null }));
    }

    [Fact]
    public void Enumerations_take_only_their_values()
    {
        Assert.Equal(["decision_visibility"], FieldsBroken(Valid with { DecisionVisibility = ["DECISION_VISIBILITY_HIDDEN"] }));
        Assert.Equal(["decision_account"], FieldsBroken(Valid with { DecisionAccount = "DECISION_ACCOUNT_BANNED" }));
        Assert.Equal(["category"], FieldsBroken(Valid with { Category = "STATEMENT_CATEGORY_PUBLIC_SECURITY" }));
        Assert.Equal(["category_addition"], FieldsBroken(Valid with { CategoryAddition = ["TERRORISM"] }));
        Assert.Equal(["category_specification"], FieldsBroken(Valid with { CategorySpecification = ["KEYWORD_TERRORISM"] }));
        Assert.Equal(["source_type"], FieldsBroken(Valid with { SourceType = "SOURCE_ORDER" }));
        Assert.Equal(["automated_detection"], FieldsBroken(Valid with { AutomatedDetection = "yes" }));
        Assert.Equal(["automated_decision"], FieldsBroken(Valid with { AutomatedDecision = "AUTOMATED_DECISION_NONE" }));
        Assert.Equal(["territorial_scope"], FieldsBroken(Valid with { TerritorialScope = ["DE", "GB"] }));
        Assert.Equal(["content_type"], FieldsBroken(Valid with { ContentType = ["CONTENT_TYPE_POST"] }));
    }

    [Fact]
    public void The_ground_decides_which_explanations_are_required_and_which_are_left_out()
    {
        Assert.Equal(["illegal_content_legal_ground", "illegal_content_explanation"], FieldsBroken(Valid with { IllegalContentLegalGround = null, IllegalContentExplanation = "" }));
        var terms = Valid with
        {
            DecisionGround = TransparencyDatabase.GroundIncompatible,
            IllegalContentLegalGround = null,
            IllegalContentExplanation = null,
            IncompatibleContentGround = "Terms 4.2",
            IncompatibleContentExplanation = "Violent extremism is not allowed.",
            IncompatibleContentIllegal = "No",
        };
        Assert.Empty(TransparencyValidator.Validate(terms));
        Assert.Equal(["incompatible_content_ground"], FieldsBroken(terms with { IncompatibleContentGround = null }));
        Assert.Equal(["illegal_content_explanation"], FieldsBroken(terms with { IllegalContentExplanation = "x" }));
        Assert.Equal(["incompatible_content_illegal"], FieldsBroken(terms with { IncompatibleContentIllegal = "Maybe" }));
    }

    [Fact]
    public void A_source_identity_names_a_notice_or_an_order_never_own_initiative()
    {
        var order = Valid with { SourceType = "SOURCE_TYPE_OTHER_NOTIFICATION", SourceIdentity = TransparencyDatabase.OrderIdentity("FR-2026-0042") };
        Assert.Empty(TransparencyValidator.Validate(order));
        Assert.Equal(["source_identity"], FieldsBroken(order with { SourceType = TransparencyDatabase.SourceVoluntary }));
        Assert.Equal(["source_identity"], FieldsBroken(order with { SourceIdentity = new string('x', 501) }));
    }

    [Fact]
    public void Other_choices_need_their_text()
    {
        Assert.Equal(["content_type_other"], FieldsBroken(Valid with { ContentType = ["CONTENT_TYPE_OTHER"] }));
        Assert.Empty(TransparencyValidator.Validate(Valid with { ContentType = ["CONTENT_TYPE_OTHER"], ContentTypeOther = "Leaflet" }));
        Assert.Equal(["decision_visibility_other"], FieldsBroken(Valid with { DecisionVisibility = ["DECISION_VISIBILITY_OTHER"] }));
        Assert.Equal(["content_type_other"], FieldsBroken(Valid with { ContentTypeOther = "Leaflet" }));
    }

    [Fact]
    public void Lengths_are_limited()
    {
        Assert.Empty(TransparencyValidator.Validate(Valid with { DecisionFacts = new string('a', 5000), IllegalContentLegalGround = new string('b', 500), IllegalContentExplanation = new string('c', 2000) }));
        Assert.Equal(["decision_facts"], FieldsBroken(Valid with { DecisionFacts = new string('a', 5001) }));
        Assert.Equal(["illegal_content_legal_ground"], FieldsBroken(Valid with { IllegalContentLegalGround = new string('b', 501) }));
        Assert.Equal(["illegal_content_explanation"], FieldsBroken(Valid with { IllegalContentExplanation = new string('c', 2001) }));
        Assert.Equal(["puid"], FieldsBroken(Valid with { Puid = new string('p', 501) }));
        Assert.Empty(TransparencyValidator.Validate(Valid with { Puid = new string('p', 500) }));
    }

    [Fact]
    public void Dates_have_their_format_and_range()
    {
        Assert.Equal(["content_date"], FieldsBroken(Valid with { ContentDate = "01/03/2026" }));
        Assert.Equal(["content_date"], FieldsBroken(Valid with { ContentDate = "1999-12-31" }));
        Assert.Empty(TransparencyValidator.Validate(Valid with { ContentDate = "2000-01-01" }));
        Assert.Equal(["application_date"], FieldsBroken(Valid with { ApplicationDate = "2019-12-31" }));
        Assert.Equal(["application_date"], FieldsBroken(Valid with { ApplicationDate = "2038-01-02" }));
        Assert.Equal(["end_date_visibility_restriction"], FieldsBroken(Valid with { EndDateVisibilityRestriction = "2026-13-01" }));
    }

    [Theory]
    [InlineData("vigil-d1", true)]
    [InlineData("A_b-9", true)]
    [InlineData("has space", false)]
    [InlineData("dot.ted", false)]
    [InlineData("slash/ed", false)]
    [InlineData("ümlaut", false)]
    [InlineData("", false)]
    public void The_PUID_pattern_is_the_databases(string puid, bool valid) => Assert.Equal(valid, TransparencyValidator.IsPuid(puid));

    [Fact]
    public void A_batch_holds_1_to_100_statements_with_no_PUID_twice()
    {
        Assert.Empty(TransparencyValidator.ValidateBatch([.. Enumerable.Range(1, 100).Select(i => Valid with { Puid = $"p{i}" })]));
        Assert.Single(TransparencyValidator.ValidateBatch([.. Enumerable.Range(1, 101).Select(i => Valid with { Puid = $"p{i}" })]));
        Assert.Single(TransparencyValidator.ValidateBatch([]));
        Assert.Contains("'p1'", Assert.Single(TransparencyValidator.ValidateBatch([Valid with { Puid = "p1" }, Valid with { Puid = "p1" }])).Message, StringComparison.Ordinal);
    }
}
