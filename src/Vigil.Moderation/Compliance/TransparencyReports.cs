using System.Globalization;
using Vigil.Core;
using Vigil.Core.Compliance;
using Vigil.Storage;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;

namespace Vigil.Moderation.Compliance;

/// <summary>One table of a report: its name (the CSV file's), title, columns and rows (as text, numbers invariant).</summary>
/// <param name="Chart">Whether a bar chart of the last column by the first makes sense.</param>
public sealed record ReportTable(string Name, string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, bool Chart = false);

/// <summary>A transparency report: its title, the period [<paramref name="From"/>, <paramref name="To"/>), its tables and the
/// notes on what it cannot count.</summary>
public sealed record TransparencyReport(string Title, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ReportTable> Tables, IReadOnlyList<string> Notes);

/// <summary>
/// The transparency reports, counted from what Vigil records (statements of reasons, notices, complaints, decisions):
/// the DSA's (Art 15 and 24; the quantitative parts of the harmonised template a small or medium platform fills) and
/// the TCO's (Art 7(2)-(3)). Removal orders are counted from the order records (<see cref="RemovalOrders"/>): by the time
/// they were received, in the period.
/// </summary>
public sealed class TransparencyReports(IVigilStore store)
{
    /// <summary>The type of illegal content of the orders Vigil records: TCO removal orders are about terrorist content.</summary>
    public const string OrderType = "terrorist_content";

    public async Task<TransparencyReport> DsaAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var statements = await StatementsAsync(from, to, cancellationToken);
        var notices = await store.Notices.ListNoticesAsync(from, to, cancellationToken);
        var complaints = await store.Notices.ListComplaintsAsync(from, to, cancellationToken);
        var decisions = await store.Cases.ListDecisionsAsync(from, to, cancellationToken);
        var orders = await store.Compliance.ListOrdersReceivedAsync(from, to, cancellationToken);
        var orderGroups = orders
            .GroupBy(o => o.Details.MemberState)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();

        var noticeRows = new List<IReadOnlyList<string>>();
        foreach (var group in notices.GroupBy(n => (Category: n.Category ?? "not_specified", Source: n.TrustedFlagger ? "trusted_flagger" : "other")).OrderBy(g => g.Key.Source).ThenBy(g => g.Key.Category, StringComparer.Ordinal))
        {
            var answered = new List<(Notice Notice, Decision Decision)>();
            foreach (var notice in group.Where(n => n.DecisionId is not null))
            {
                answered.Add((notice, (await store.Cases.GetDecisionAsync(notice.DecisionId!.Value, cancellationToken))!));
            }

            noticeRows.Add(
            [
                group.Key.Category, group.Key.Source, Count(group.Count()),
                Count(answered.Count(a => StatementsOfReasons.Restricts(a.Decision.Value))),
                Count(answered.Count(a => !StatementsOfReasons.Restricts(a.Decision.Value))),
                Count(group.Count(n => n.DecisionId is null)),
                Hours(answered.Select(a => a.Notice.DecidedAt!.Value - a.Notice.ReceivedAt)),
            ]);
        }

        var ownRows = statements
            .Where(s => s.Statement.Source == DecisionSource.OwnInitiative)
            .GroupBy(s => (s.Wire.Category!, s.Wire.AutomatedDetection!, s.Wire.AutomatedDecision!))
            .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal).ThenBy(g => g.Key.Item3, StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<string>)[g.Key.Item1, g.Key.Item2, g.Key.Item3, Count(g.Count())])
            .ToList();

        var complaintRows = Outcomes
            .Select(outcome => (Outcome: outcome, List: complaints.Where(c => (c.Outcome ?? "pending") == outcome).ToList()))
            .Select(o => (IReadOnlyList<string>)[o.Outcome, Count(o.List.Count), Hours(o.List.Where(c => c.DecidedAt is not null).Select(c => c.DecidedAt!.Value - c.ReceivedAt))])
            .ToList();

        // Accuracy of the automated tools: of the cases Vigil's detectors flagged (own initiative) that a moderator decided in
        // the period, the share the moderator kept up (the automated flag reversed on review).
        int reviewed = 0, keptUp = 0;
        foreach (var decision in decisions.Where(d => d.Value != ReviewDecision.Escalate))
        {
            var reviewCase = await store.Cases.GetAsync(decision.CaseId, cancellationToken);
            if (reviewCase is null || reviewCase.Queue is Complaints.AppealsQueue or Notices.Queue or RemovalOrders.Queue || reviewCase.Verdict == VerdictKind.Clear)
            {
                continue;
            }

            // Not the provider's own flag: a notice's content, or an order's case escalated out of the order queue.
            if ((await store.Notices.ListNoticesByContentAsync(decision.ContentId, cancellationToken)).Count > 0
                || await store.Compliance.GetOrderByCaseAsync(reviewCase.Id, cancellationToken) is not null)
            {
                continue;
            }

            reviewed++;
            keptUp += decision.Value == ReviewDecision.KeepUp ? 1 : 0;
        }

        int restrictionsContested = complaints.Count(c => c.Outcome is not null);
        int reversed = complaints.Count(c => c.Outcome == "reversed");
        return new TransparencyReport(
            "DSA transparency report",
            from,
            to,
            [
                new ReportTable("orders", "Orders to act against illegal content (Art 9; TCO removal orders) by issuing Member State and type", ["member_state", "type", "orders"],
                    [.. orderGroups.Select(g => (IReadOnlyList<string>)[g.Key, OrderType, Count(g.Count())])], Chart: true),
                new ReportTable("orders_time_to_act", "Orders by Member State and type: given effect, pending, and the median time from receipt to giving effect", ["member_state", "type", "given_effect", "pending", "median_hours_to_give_effect"],
                    [.. orderGroups.Select(g => (IReadOnlyList<string>)
                    [
                        g.Key, OrderType, Count(g.Count(o => o.Executed)), Count(g.Count(o => !o.Executed)),
                        Hours(g.Where(o => o.Executed).Select(o => o.ExecutedAt!.Value - o.Details.ReceivedAt)),
                    ])]),
                new ReportTable("notices", "Notices (Art 16) by category and source, with the median time to decide", ["category", "source", "notices", "restricted", "kept_up", "pending", "median_hours_to_decision"], noticeRows, Chart: false),
                new ReportTable("own_initiative", "Restrictions on the provider's own initiative by category and by automated detection and decision", ["category", "automated_detection", "automated_decision", "restrictions"], ownRows, Chart: true),
                new ReportTable("complaints", "Complaints (Art 20) by outcome, with the median time to decide", ["outcome", "complaints", "median_hours_to_decision"], complaintRows, Chart: true),
                new ReportTable("accuracy", "Accuracy of the automated tools", ["indicator", "value"],
                [
                    ["automated_flags_reviewed", Count(reviewed)],
                    ["automated_flags_kept_up_on_review", Count(keptUp)],
                    ["share_of_automated_flags_reversed_on_review", Share(keptUp, reviewed)],
                    ["complaints_decided", Count(restrictionsContested)],
                    ["share_of_complaints_reversed", Share(reversed, restrictionsContested)],
                ]),
                new ReportTable("statements", "Statements of reasons by source", ["source", "statements"],
                    [.. statements.GroupBy(s => s.Wire.SourceType!).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (IReadOnlyList<string>)[g.Key, Count(g.Count())])], Chart: true),
            ],
            [
                "Orders are counted by the time they were received; the time to give effect runs from receipt to Vigil's decision to remove (the platform's systems act on the webhook content.removed). The time to confirm receipt to the authority (Art 9(1)) and orders to provide information (Art 10) are kept outside Vigil.",
            ]);
    }

    public async Task<TransparencyReport> TcoAsync(int year, CancellationToken cancellationToken)
    {
        var from = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddYears(1);
        // Content removed on an order is terrorist content by the authority's assessment, whatever Vigil's verdict said.
        var terrorist = (await StatementsAsync(from, to, cancellationToken))
            .Where(s => s.Statement.Source == DecisionSource.Order || s.Statement.Labels.Any(IsTerrorism))
            .ToList();
        var orders = await store.Compliance.ListOrdersReceivedAsync(from, to, cancellationToken);
        var notExecuted = orders.Where(o => !o.Executed).ToList();
        var complaints = new List<Complaint>();
        foreach (var complaint in await store.Notices.ListComplaintsAsync(from, to, cancellationToken))
        {
            if (complaint.DeadlineAt is not null)
            {
                complaints.Add(complaint); // a deadline is set exactly for complaints against removals of terrorist content
            }
        }

        int afterOrders = terrorist.Count(s => s.Statement.Source == DecisionSource.Order);
        int own = terrorist.Count - afterOrders;
        return new TransparencyReport(
            $"TCO transparency report {year} (Regulation (EU) 2021/784 Art 7)",
            from,
            to,
            [
                new ReportTable("measures", "Terrorist content removed or disabled (Art 7(3)(b))", ["measure", "items"],
                [
                    ["after_removal_orders", Count(afterOrders)],
                    ["on_own_measures", Count(own)],
                    ["of_which_detected_by_automated_means", Count(terrorist.Count(s => s.Statement.Source != DecisionSource.Order && s.Statement.AutomatedDetection))],
                    ["of_which_after_notices", Count(terrorist.Count(s => s.Statement.Source is DecisionSource.Notice or DecisionSource.TrustedFlagger))],
                ], Chart: true),
                new ReportTable("complaints", "Complaints against removals of terrorist content (Art 7(3)(d), Art 10)", ["indicator", "complaints"],
                [
                    ["received", Count(complaints.Count)],
                    ["upheld", Count(complaints.Count(c => c.Outcome == "upheld"))],
                    ["reversed_and_reinstated", Count(complaints.Count(c => c.Outcome == "reversed"))],
                    ["pending", Count(complaints.Count(c => c.Outcome is null))],
                    ["decided_after_the_two_week_deadline", Count(complaints.Count(c => c.DecidedAt is { } at && at > c.DeadlineAt))],
                ], Chart: true),
                new ReportTable("orders", "Removal orders received (Art 3) and what became of them (Art 7(3)(b))", ["indicator", "orders"],
                [
                    ["received", Count(orders.Count)],
                    ["executed", Count(orders.Count(o => o.Executed))],
                    ["executed_within_one_hour", Count(orders.Count(o => o.Executed && o.BreachedAt is null))],
                    ["deadline_breached", Count(orders.Count(o => o.BreachedAt is not null))],
                    ["not_executed", Count(notExecuted.Count)],
                    ["of_which_on_annex_iii_grounds", Count(notExecuted.Count(o => o.Stops.Count > 0))],
                ], Chart: true),
                new ReportTable("orders_not_executed", "Removal orders not executed, by the grounds recorded (Art 3(7), 3(8); Art 7(3)(b)); an order stopped on two grounds counts under each", ["ground", "article", "orders"],
                    [.. Enum.GetValues<ClockStopGround>().Select(ground => (IReadOnlyList<string>)
                    [
                        OrderReplies.Wire(ground), OrderReplies.Article(ground), Count(notExecuted.Count(o => o.Stops.Any(stop => stop.Ground == ground))),
                    ])], Chart: true),
            ],
            [
                "Removal orders are counted by the time they were received in the year; items removed after orders are counted by the statements of reasons of the decisions taken on them.",
                "Administrative or judicial review proceedings (Art 7(3)(c)) are brought outside Vigil: the platform adds their number and outcomes.",
            ]);
    }

    private static readonly string[] Outcomes = ["upheld", "reversed", "pending"];

    private static bool IsTerrorism(string label) => Taxonomy.TryGet(label, out var c) && c.IsTerrorism;

    private async Task<List<(StatementOfReasons Statement, TransparencyStatement Wire)>> StatementsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var all = new List<(StatementOfReasons, TransparencyStatement)>();
        long after = 0;
        while (true)
        {
            var page = await store.Statements.ListAsync(new StatementQuery(from, to, after, 1000), cancellationToken);
            foreach (var stored in page)
            {
                var statement = StatementsOfReasons.Read(stored);
                all.Add((statement, TransparencyDatabase.ToTransparency(statement)));
            }

            if (page.Count < 1000)
            {
                return all;
            }

            after = page[^1].Id;
        }
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Share(int part, int whole) => whole == 0 ? "" : ((double)part / whole).ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>The median of <paramref name="spans"/> in hours (one decimal); empty when there are none.</summary>
    private static string Hours(IEnumerable<TimeSpan> spans)
    {
        var sorted = spans.Select(s => s.TotalHours).Order().ToList();
        if (sorted.Count == 0)
        {
            return "";
        }

        double median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        return median.ToString("0.0", CultureInfo.InvariantCulture);
    }
}
