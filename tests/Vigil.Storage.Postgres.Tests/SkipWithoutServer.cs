using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Vigil.Storage.Postgres.Tests.SkipWithoutServer", "Vigil.Storage.Postgres.Tests")]

namespace Vigil.Storage.Postgres.Tests;

/// <summary>
/// xunit as usual, except that without a server (<see cref="PostgresServer.Variable"/> unset) every test of this
/// assembly is reported skipped, with the reason, instead of failing: the contract suite's tests are the SQLite
/// backend's <c>[Fact]</c>s, inherited unchanged, so the skip cannot be written on them.
/// </summary>
public sealed class SkipWithoutServer(IMessageSink diagnosticMessageSink) : XunitTestFramework(diagnosticMessageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assembly, ISourceInformationProvider sources, IMessageSink diagnostics)
        : XunitTestFrameworkDiscoverer(assembly, sources, diagnostics)
    {
        protected override bool FindTestsForMethod(ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions) =>
            PostgresServer.ConnectionString is not null
                ? base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions)
                : base.FindTestsForMethod(testMethod, includeSourceInformation, new SkippingBus(messageBus, DiagnosticMessageSink, discoveryOptions), discoveryOptions);
    }

    /// <summary>Passes discovered tests on as skipped ones.</summary>
    private sealed class SkippingBus(IMessageBus inner, IMessageSink diagnostics, ITestFrameworkDiscoveryOptions options) : IMessageBus
    {
        public bool QueueMessage(IMessageSinkMessage message) => inner.QueueMessage(message is ITestCaseDiscoveryMessage { TestCase: IXunitTestCase found }
            ? new TestCaseDiscoveryMessage(new SkippedTestCase(diagnostics, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), found.TestMethod, found.TestMethodArguments))
            : message);

        public void Dispose() => inner.Dispose();
    }
}

/// <summary>A test that is skipped because there is no PostgreSQL server.</summary>
public sealed class SkippedTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public SkippedTestCase()
    {
    }

    public SkippedTestCase(IMessageSink diagnostics, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod testMethod, object[]? arguments)
        : base(diagnostics, display, displayOptions, testMethod, arguments)
    {
    }

    protected override void Initialize()
    {
        base.Initialize();
        SkipReason = PostgresServer.SkipReason;
    }
}
