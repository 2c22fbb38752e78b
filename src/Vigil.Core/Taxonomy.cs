namespace Vigil.Core;

/// <summary>The fixed set of categories Vigil scores. Ids are a wire contract: never rename them.</summary>
public static class Taxonomy
{
    public static readonly Category TerrorismSupport = new(
        "terrorism.support",
        "Support or glorification",
        "Expresses support for, praise of, or allegiance to a terrorist organisation, its leaders or members; glorifies terrorist acts.",
        ["UK TA 2000 s.12", "UK TA 2006 s.1"],
        Severity: 4);

    public static readonly Category TerrorismRecruitment = new(
        "terrorism.recruitment",
        "Recruitment",
        "Invites people to join, travel to, fund or fight for a terrorist organisation.",
        ["UK TA 2000 s.12", "UK TA 2000 s.15-17"],
        Severity: 4);

    public static readonly Category TerrorismIncitement = new(
        "terrorism.incitement",
        "Incitement or threat",
        "Calls for or threatens violence against people.",
        ["UK TA 2006 s.1", "UK OSA 2023 Sch.5"],
        Severity: 5);

    public static readonly Category TerrorismPropaganda = new(
        "terrorism.propaganda",
        "Terrorist publication",
        "Shares material of a terrorist organisation or its media outlets.",
        ["UK TA 2006 s.2"],
        Severity: 3);

    public static readonly Category TerrorismInstruction = new(
        "terrorism.instruction",
        "Instructional material",
        "Information useful for committing an act of terrorism.",
        ["UK TA 2000 s.58"],
        Severity: 5);

    public static readonly Category TerrorismEmblem = new(
        "terrorism.emblem",
        "Emblem of a proscribed organisation",
        "Flags, emblems or uniforms of a proscribed organisation.",
        ["UK TA 2000 s.13"],
        Severity: 3);

    public static readonly Category Hate = new(
        "hate",
        "Hate speech",
        "Attacks or dehumanises people for a protected characteristic.",
        ["UK Public Order Act 1986 Part III", "UK Public Order Act 1986 Part 3A"],
        Severity: 2);

    /// <summary>Every category, in the order they are reported.</summary>
    public static IReadOnlyList<Category> All { get; } =
    [
        TerrorismSupport, TerrorismRecruitment, TerrorismIncitement, TerrorismPropaganda,
        TerrorismInstruction, TerrorismEmblem, Hate,
    ];

    /// <summary>The categories whose wire id starts with <c>terrorism.</c>.</summary>
    public static IReadOnlyList<Category> Terrorism { get; } = [.. All.Where(c => c.IsTerrorism)];

    private static readonly Dictionary<string, Category> ById = All.ToDictionary(c => c.Id, StringComparer.Ordinal);

    public static Category Get(string id) =>
        ById.TryGetValue(id, out var category) ? category : throw new KeyNotFoundException($"Unknown category id '{id}'. Known: {string.Join(", ", ById.Keys)}.");

    public static bool TryGet(string id, out Category category) => ById.TryGetValue(id, out category!);

    /// <summary>The EU TCO Regulation exemption for the purpose of a post (Art. 1(3)).</summary>
    public const string EuTcoExemption = "EU Reg. 2021/784 Art. 1(3)";
}
