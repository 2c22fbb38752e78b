using Vigil.Core.Compliance;
using Vigil.Storage;
using Vigil.Storage.Cases;

namespace Vigil.Moderation.Compliance;

/// <summary>What a case's decision followed (DSA Art 17(3)(b)): an order (the <c>order</c> queue), a notice (a trusted
/// flagger's first), or the provider's own initiative.</summary>
public static class DecisionOrigins
{
    public static async Task<DecisionOrigin> ForAsync(IUnitOfWork unit, ReviewCase reviewCase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(reviewCase);
        if (reviewCase.Queue == RemovalOrders.Queue)
        {
            return new DecisionOrigin(DecisionSource.Order);
        }

        return await Notices.SourceAsync(unit, reviewCase.ContentId, cancellationToken) is { } source ? new DecisionOrigin(source) : DecisionOrigin.OwnInitiative;
    }
}
