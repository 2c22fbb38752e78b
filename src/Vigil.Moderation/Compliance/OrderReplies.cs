using Vigil.Core.Compliance;
using Vigil.Storage.Compliance;

namespace Vigil.Moderation.Compliance;

/// <summary>One item of an order in a reply: where it was, and what became of it.</summary>
/// <param name="Status"><c>removed</c>, or <c>not_found</c> (Vigil holds no such item: the platform must check it).</param>
public sealed record ReplyItem(string Location, string Status, DateTimeOffset? ActedAt);

/// <summary>Annex II of Regulation 2021/784: the hosting service provider's feedback on the removal or disabling.</summary>
/// <param name="Action"><c>removed</c> (or <c>not_executed</c> while the order is not executed).</param>
/// <param name="ActedAt">The time and date of the removal (of the last item).</param>
/// <param name="DeadlineMet">Whether it was done within the hour (stops on Annex III grounds counted out).</param>
public sealed record AnnexIIReply(
    string OrderReference,
    string MemberState,
    string Authority,
    string? ContactPoint,
    DateTimeOffset IssuedAt,
    DateTimeOffset ReceivedAt,
    string Action,
    DateTimeOffset? ActedAt,
    DateTimeOffset? Deadline,
    bool? DeadlineMet,
    IReadOnlyList<ReplyItem> Items,
    DateTimeOffset GeneratedAt);

/// <summary>One Annex III ground with its explanation, and when it began and ended.</summary>
public sealed record AnnexIIIGround(string Ground, string Article, string Description, string Explanation, DateTimeOffset StoppedAt, DateTimeOffset? ResumedAt);

/// <summary>Annex III of Regulation 2021/784: information on the impossibility to execute the order (force majeure or de
/// facto impossibility, Art 3(7); manifest errors or insufficient information, Art 3(8)).</summary>
public sealed record AnnexIIIReply(
    string OrderReference,
    string MemberState,
    string Authority,
    string? ContactPoint,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<AnnexIIIGround> Grounds,
    bool ClockStopped,
    IReadOnlyList<string> ItemsNotFound,
    DateTimeOffset GeneratedAt);

/// <summary>The replies to an authority, generated from the order's record (as JSON by the API, as printable HTML by the UI).</summary>
public static class OrderReplies
{
    public static AnnexIIReply AnnexII(RemovalOrder order, OrderClock clock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(clock);
        var items = order.Targets.Select(t => new ReplyItem(
            t.Location, t.ContentId is null ? "not_found" : t.RemovedAt is not null ? "removed" : "pending", t.RemovedAt)).ToList();
        var d = order.Details;
        return new AnnexIIReply(
            d.Reference, d.MemberState, d.Authority, d.ContactPoint, d.IssuedAt, d.ReceivedAt,
            order.Executed ? "removed" : "not_executed", order.ExecutedAt, clock.Deadline,
            order.ExecutedAt is { } at ? !clock.IsBreached(at, at) : null, items, now);
    }

    public static AnnexIIIReply AnnexIII(RemovalOrder order, OrderClock clock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(clock);
        var d = order.Details;
        return new AnnexIIIReply(
            d.Reference, d.MemberState, d.Authority, d.ContactPoint, d.ReceivedAt,
            [.. order.Stops.Select(s => new AnnexIIIGround(Wire(s.Ground), Article(s.Ground), Describe(s.Ground), s.Explanation, s.StoppedAt, s.ResumedAt))],
            clock.IsStopped,
            [.. order.Targets.Where(t => t.ContentId is null).Select(t => t.Location)],
            now);
    }

    public static string Wire(ClockStopGround ground) => ground switch
    {
        ClockStopGround.ForceMajeure => "force_majeure",
        ClockStopGround.ManifestErrors => "manifest_errors",
        _ => "insufficient_information",
    };

    public static bool TryParse(string? wire, out ClockStopGround ground)
    {
        foreach (var value in Enum.GetValues<ClockStopGround>())
        {
            if (Wire(value) == wire)
            {
                ground = value;
                return true;
            }
        }

        ground = default;
        return false;
    }

    public static string Article(ClockStopGround ground) => ground == ClockStopGround.ForceMajeure ? "Art 3(7)" : "Art 3(8)";

    public static string Describe(ClockStopGround ground) => ground switch
    {
        ClockStopGround.ForceMajeure => "Force majeure or de facto impossibility not attributable to the hosting service provider, including for objectively justifiable technical or operational reasons",
        ClockStopGround.ManifestErrors => "The removal order contains manifest errors",
        _ => "The removal order does not contain sufficient information",
    };
}
