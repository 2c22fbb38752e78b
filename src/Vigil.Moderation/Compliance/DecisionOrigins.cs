using Vigil.Core.Compliance;
using Vigil.Storage;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;

namespace Vigil.Moderation.Compliance;

/// <summary>What a case's decision followed (DSA Art 17(3)(b)): a removal order (the order whose target opened the case,
/// with its reference and its withholding of disclosure, TCO Art 11(3)), a notice (a trusted flagger's first), or the
/// provider's own initiative.</summary>
public static class DecisionOrigins
{
    public static async Task<DecisionOrigin> ForAsync(IUnitOfWork unit, ReviewCase reviewCase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(reviewCase);
        // An order's case keeps its order when it was escalated out of the order queue.
        if (await unit.Compliance.GetOrderByCaseAsync(reviewCase.Id, cancellationToken) is { } order)
        {
            return Of(order);
        }

        if (reviewCase.Queue == RemovalOrders.Queue)
        {
            return new DecisionOrigin(DecisionSource.Order);
        }

        return await Notices.SourceAsync(unit, reviewCase.ContentId, cancellationToken) is { } source ? new DecisionOrigin(source) : DecisionOrigin.OwnInitiative;
    }

    /// <summary>The origin of a decision taken on <paramref name="order"/>.</summary>
    public static DecisionOrigin Of(RemovalOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new DecisionOrigin(DecisionSource.Order, order.Details.Reference, order.Details.DisclosureWithheldUntil);
    }
}
