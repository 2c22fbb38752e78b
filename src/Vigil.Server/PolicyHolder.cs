using Vigil.Core;

namespace Vigil.Server;

/// <summary>The policy in force and the JSON it was read from.</summary>
public sealed class PolicyHolder(Policy policy, string json)
{
    public Policy Current { get; } = policy;

    public string Json { get; } = json;
}
