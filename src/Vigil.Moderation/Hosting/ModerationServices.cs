using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.Core.Signals;
using Vigil.Moderation.Access;
using Vigil.Moderation.Audit;
using Vigil.Moderation.Banks;
using Vigil.Moderation.Cases;
using Vigil.Moderation.Compliance;
using Vigil.Moderation.Content;
using Vigil.Moderation.Policies;
using Vigil.Moderation.Webhooks;

namespace Vigil.Moderation.Hosting;

/// <summary>Registers Vigil's storage, signal types and use cases with a host's services.</summary>
public static class ModerationServices
{
    /// <summary>
    /// The store the connection string names (one registration for every backend: <see cref="VigilStorage"/>), opened at
    /// start-up by awaiting <see cref="StorageHolder.OpenAsync"/>.
    /// </summary>
    public static IServiceCollection AddVigilStorage(this IServiceCollection services, Func<IServiceProvider, string> connection)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new StorageHolder(connection(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<StorageHolder>().Store);
        return services;
    }

    /// <summary>
    /// The built-in signal types (each a <see cref="SignalType"/> service: a host adds its own the same way, and they are
    /// registered with the others), the registry over all of them, and the use cases.
    /// </summary>
    public static IServiceCollection AddVigilModeration(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        foreach (var type in VigilSignalTypes.BuiltIn)
        {
            services.AddSingleton(type);
        }

        services.TryAddSingleton(sp => new SignalTypeRegistry(sp.GetServices<SignalType>()));
        services.TryAddSingleton<HashBanks>();
        services.TryAddSingleton(StatementSettings.Default);
        services.TryAddSingleton<CaseWorkflow>();
        services.TryAddSingleton<Notices>();
        services.TryAddSingleton<Complaints>();
        services.TryAddSingleton<SubmitContent>();
        services.TryAddSingleton<Queue.AssessQueuedContent>();
        services.TryAddSingleton<ContentReads>();
        services.TryAddSingleton<UserAccounts>();
        services.TryAddSingleton(new SessionSettings());
        services.TryAddSingleton<SessionCache>();
        services.TryAddSingleton<Sessions>();
        services.TryAddSingleton<UserLifecycle>();
        services.TryAddSingleton<TwoFactor>();
        services.TryAddSingleton<ApiKeys>();
        services.TryAddSingleton(new AccessLimits());
        services.TryAddSingleton<AccessThrottles>();
        services.TryAddSingleton<SignIns>();
        services.TryAddSingleton<ApiKeyGate>();
        services.TryAddSingleton<WebhookSubscriptions>();
        services.TryAddSingleton<PolicyHistory>();
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<ComplianceSettings>();
        services.TryAddSingleton<RemovalOrders>();
        services.TryAddSingleton<Preservations>();
        services.TryAddSingleton<Retention>();
        services.TryAddSingleton<CaseCompliance>();
        return services;
    }
}
