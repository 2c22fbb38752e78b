using Vigil.Core.Compliance;

namespace Vigil.Moderation.Compliance;

/// <summary>What a platform says once for all its statements of reasons.</summary>
/// <param name="TerritorialScope">Where its restrictions apply (ISO codes of EEA states; default: all of them).</param>
/// <param name="TermsGround">The clause of its terms and conditions a restriction on that ground cites.</param>
/// <param name="PuidPrefix">The start of every PUID Vigil makes (letters, digits, '-', '_'); a platform that runs more than
/// one Vigil gives each its own, so that no PUID is used twice.</param>
public sealed record StatementSettings(IReadOnlyList<string> TerritorialScope, string TermsGround, string PuidPrefix = "vigil")
{
    public static StatementSettings Default { get; } = new(
        TransparencyDatabase.CountryCodes,
        "Terms of service: violent extremism, terrorism and hate speech are not allowed");
}
