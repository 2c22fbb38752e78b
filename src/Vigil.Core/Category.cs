namespace Vigil.Core;

/// <summary>A harm category of Vigil's taxonomy, with the law a decision on it cites.</summary>
/// <param name="Id">Stable wire id, e.g. <c>terrorism.support</c>.</param>
/// <param name="Title">Short human title.</param>
/// <param name="Description">What content in this category does.</param>
/// <param name="LegalBasis">Provisions to cite, most specific first.</param>
/// <param name="Severity">1 (lowest) to 5 (threat to life), used to order review work.</param>
public sealed record Category(string Id, string Title, string Description, IReadOnlyList<string> LegalBasis, int Severity)
{
    public bool IsTerrorism => Id.StartsWith("terrorism.", StringComparison.Ordinal);

    public override string ToString() => Id;
}
