using Vigil.Core.Compliance;

namespace Vigil.Moderation.Compliance;

/// <summary>
/// The settings of the compliance workflows (the service binds them from configuration section <c>Vigil:Compliance</c>,
/// e.g. <c>--Vigil:Compliance:ClockRestart=Remaining</c>). The defaults follow the TCO Regulation where it decides.
/// </summary>
public sealed class ComplianceSettings
{
    public const string Section = "Vigil:Compliance";

    /// <summary>How a removal order's clock goes on after an Annex III stop: <see cref="ClockRestart.FullPeriod"/> (the
    /// default: Art 3(7)/(8) say the deadline starts to run again, a whole hour) or <see cref="ClockRestart.Remaining"/>
    /// (only what was left of the hour, if the platform agreed so with its authorities).</summary>
    public ClockRestart ClockRestart { get; set; } = ClockRestart.FullPeriod;

    /// <summary>When to warn that an order's deadline approaches: minutes into the running hour, comma-separated.</summary>
    public string WarnAtMinutes { get; set; } = "30,50";

    /// <summary>Whether a logged order is executed at once (its resolved content removed) instead of on a compliance
    /// officer's confirmation.</summary>
    public bool ExecuteOrdersAutomatically { get; set; }

    /// <summary>The largest order document accepted (a PDF or an image).</summary>
    public long MaxOrderDocumentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>How long content that no preservation covers (kept up after review, or never flagged) is kept before its
    /// text and bytes are deleted; content with an open case is kept until the case is closed.</summary>
    public TimeSpan KeptUpRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often the background job looks at the clocks of open orders.</summary>
    public TimeSpan ClockCheckInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the background job runs retention.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>TCO Art 6(2): removed content and its related data are preserved for six months from removal.</summary>
    public static int PreservationMonths => 6;

    /// <summary>The warning points of <see cref="WarnAtMinutes"/>.</summary>
    /// <exception cref="FormatException">A point is not a whole number of minutes between 1 and 59.</exception>
    public IReadOnlyList<TimeSpan> WarningPoints() =>
        [.. WarnAtMinutes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(m => int.TryParse(m, System.Globalization.CultureInfo.InvariantCulture, out int minutes) && minutes is > 0 and < 60
                ? TimeSpan.FromMinutes(minutes)
                : throw new FormatException($"Vigil:Compliance:WarnAtMinutes: '{m}' is not a whole number of minutes from 1 to 59."))
            .Distinct()
            .Order()];
}
