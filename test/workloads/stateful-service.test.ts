import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ClaimRetention, DisruptionBudget, IPodPattern, KubernetesVersion, PodPatternHost, StatefulService, StatefulServiceProps,
  StatefulUpdateStrategy, StatelessService, StorageAccessMode, UnhealthyPodEvictionPolicy,
} from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const DB: kplus.ContainerProps = {
  image: 'postgres:16.4',
  ports: [{ number: 5432, name: 'pg' }],
  securityContext: { user: 999, group: 999 },
};
const DATA = { name: 'data', size: Size.gibibytes(10), mountPath: '/var/lib/postgresql/data' };
const BASE: StatefulServiceProps = { container: DB, volumeClaimTemplates: [DATA] };

/** A pattern that adds a sidecar with a port, exposed when asked, and mounts the claim "data" read-only into it. */
class BackupPattern implements IPodPattern {
  public readonly name = 'backup';
  constructor(private readonly expose?: boolean) {}
  public attach(host: PodPatternHost): void {
    host.addSidecar({
      name: 'backup',
      image: 'busybox:1.36.1',
      ports: [{ number: 9187, name: 'backup' }],
      namedMounts: [{ volume: 'data', path: '/data', readOnly: true }],
    });
    host.declarePort('backup', { name: 'backup', port: 9187, expose: this.expose });
  }
}

const env = (manifests: any[]) => podSpec(only(manifests, 'StatefulSet')).containers[0].env;

describe('StatefulService', () => {
  test('defaults: StatefulSet of 1 with a headless Service, claim templates, identity env and a PDB', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new StatefulService(chart, 'db', BASE);
    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  describe('governing headless Service', () => {
    test('is headless, selects the members and governs the StatefulSet', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      const db = new StatefulService(chart, 'db', BASE);
      // THEN
      const manifests = synth(chart);
      const sts = only(manifests, 'StatefulSet');
      const svc = only(manifests, 'Service');
      expect(svc.metadata.name).toBe(db.headlessService.name);
      expect(svc.spec.clusterIP).toBe('None');
      expect(svc.spec.selector).toEqual(sts.spec.selector.matchLabels);
      expect(svc.spec.ports).toEqual([{ name: 'pg', port: 5432, targetPort: 5432, protocol: 'TCP' }]);
      expect(svc.spec).not.toHaveProperty('publishNotReadyAddresses');
      expect(sts.spec.serviceName).toBe(svc.metadata.name);
    });

    test('publishNotReadyAddresses lists members before they are Ready', () => {
      const chart = newChart();
      new StatefulService(chart, 'db', { ...BASE, publishNotReadyAddresses: true });
      expect(only(synth(chart), 'Service').spec.publishNotReadyAddresses).toBe(true);
    });

    test('binds ports exposed by patterns, also after construction, and leaves the others out', () => {
      // GIVEN
      const chart = newChart();
      const db = new StatefulService(chart, 'db', { ...BASE, clientService: {} });
      // WHEN
      db.addPattern(new BackupPattern(true));
      // THEN both Services carry it
      for (const svc of synth(chart).filter(m => m.kind === 'Service')) {
        expect(svc.spec.ports.map((p: any) => p.name)).toEqual(['pg', 'backup']);
      }
    });

    test('leaves pattern ports out unless exposed', () => {
      const chart = newChart();
      new StatefulService(chart, 'db', { ...BASE, patterns: [new BackupPattern()] });
      expect(only(synth(chart), 'Service').spec.ports.map((p: any) => p.name)).toEqual(['pg']);
    });

    test('fails when the main container has no ports', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { ...BASE, container: { image: 'postgres:16.4', securityContext: { user: 10001 } } })))
        .toBe('[test/db] the main container declares no ports, but a StatefulService is reached through its governing headless '
          + 'Service, which needs at least one port. Fix: declare the port the app listens on (ports: [{ number: 5432, name: "db" }]).');
    });

    test('fails when a port of a multi-port Service has no name', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', {
        ...BASE, container: { ...DB, ports: [{ number: 5432 }, { number: 8008, name: 'api' }] },
      }))).toBe('[test/db] port 5432 of container "app" has no name, but the headless Service exposes several ports and Kubernetes '
        + 'requires every port of a multi-port Service to be named. Fix: name the port (ports: [{ number, name: "http" }]).');
    });
  });

  describe('client Service', () => {
    test('absent unless asked for', () => {
      const chart = newChart();
      const db = new StatefulService(chart, 'db', BASE);
      expect(synth(chart).filter(m => m.kind === 'Service')).toHaveLength(1);
      expect(db.service).toBeUndefined();
    });

    test('a ClusterIP Service in front of the members, optionally on another port', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      const db = new StatefulService(chart, 'db', { ...BASE, clientService: { port: 15432 } });
      // THEN
      const svc = synth(chart).find(m => m.kind === 'Service' && m.metadata.name === db.service!.name);
      expect(svc.spec.type).toBe('ClusterIP');
      expect(svc.spec).not.toHaveProperty('clusterIP');
      expect(svc.spec.ports).toEqual([{ name: 'pg', port: 15432, targetPort: 5432, protocol: 'TCP' }]);
    });
  });

  describe('volume claim templates', () => {
    test('render per-replica claims, mounted into the main container', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      new StatefulService(chart, 'db', {
        container: DB,
        volumeClaimTemplates: [
          DATA,
          {
            name: 'wal',
            size: Size.gibibytes(2),
            mountPath: '/var/lib/postgresql/wal',
            storageClassName: 'fast-ssd',
            accessModes: [StorageAccessMode.READ_WRITE_ONCE_POD],
          },
        ],
      });
      // THEN
      const sts = only(synth(chart), 'StatefulSet');
      expect(sts.spec.volumeClaimTemplates).toEqual([
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
        },
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'wal' },
          spec: { accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '2Gi' } }, storageClassName: 'fast-ssd' },
        },
      ]);
      expect(podSpec(sts).containers[0].volumeMounts).toEqual([
        { mountPath: '/var/lib/postgresql/data', name: 'data' },
        { mountPath: '/var/lib/postgresql/wal', name: 'wal' },
      ]);
      // the claims are not Pod volumes
      expect(podSpec(sts).volumes).toBeUndefined();
    });

    test('patterns can mount a claim by name', () => {
      const chart = newChart();
      new StatefulService(chart, 'db', { ...BASE, patterns: [new BackupPattern()] });
      const sidecar = podSpec(only(synth(chart), 'StatefulSet')).containers[1];
      expect(sidecar.volumeMounts).toEqual([{ mountPath: '/data', name: 'data', readOnly: true }]);
    });

    test('the main container\'s group owns the volumes, changed only on mismatch', () => {
      const chart = newChart();
      new StatefulService(chart, 'db', BASE);
      expect(podSpec(only(synth(chart), 'StatefulSet')).securityContext)
        .toMatchObject({ fsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch', runAsNonRoot: true });
    });

    test('fsGroup can be given explicitly', () => {
      const chart = newChart();
      new StatefulService(chart, 'db', { ...BASE, fsGroup: 2000 });
      expect(podSpec(only(synth(chart), 'StatefulSet')).securityContext.fsGroup).toBe(2000);
    });

    test('a claim retention policy is rendered when given, from Kubernetes 1.32', () => {
      const chart = newChart();
      new StatefulService(chart, 'db', { ...BASE, kubernetesVersion: KubernetesVersion.V1_32, claimRetention: { whenScaled: ClaimRetention.DELETE } });
      expect(only(synth(chart), 'StatefulSet').spec.persistentVolumeClaimRetentionPolicy)
        .toEqual({ whenDeleted: 'Retain', whenScaled: 'Delete' });
    });

    test('an empty claim retention policy renders Retain for both cases on 1.34', () => {
      const chart = newChart();
      new StatefulService(chart, 'db', { ...BASE, kubernetesVersion: KubernetesVersion.V1_34, claimRetention: {} });
      expect(only(synth(chart), 'StatefulSet').spec.persistentVolumeClaimRetentionPolicy)
        .toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    });

    test('fails when a claim retention policy targets Kubernetes 1.31', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', {
        ...BASE, kubernetesVersion: KubernetesVersion.V1_31, claimRetention: { whenDeleted: ClaimRetention.DELETE },
      }))).toBe('[test/db] claimRetention renders persistentVolumeClaimRetentionPolicy, which needs Kubernetes >= 1.32 (got '
        + 'kubernetesVersion 1.31). The field is GA from 1.32; before, it depends on a beta feature gate (StatefulSetAutoDeletePVC), '
        + 'and where that is off the API server drops the field, so claims the manifest says are deleted are kept and GitOps never sees '
        + 'the object in sync. Fix: if your clusters run 1.32 or later, set kubernetesVersion: KubernetesVersion.V1_32 on the workload '
        + '(or the context value "cdk8s-container-patterns/kubernetesVersion" to "1.32"); else drop claimRetention.');
    });

    test('no retention policy is rendered by default (Kubernetes retains the claims)', () => {
      const chart = newChart();
      new StatefulService(chart, 'db', BASE);
      expect(only(synth(chart), 'StatefulSet').spec).not.toHaveProperty('persistentVolumeClaimRetentionPolicy');
    });

    test('ephemeral: true runs without storage', () => {
      const chart = newChart();
      new StatefulService(chart, 'cache', { container: DB, ephemeral: true });
      const sts = only(synth(chart), 'StatefulSet');
      expect(sts.spec).not.toHaveProperty('volumeClaimTemplates');
      expect(podSpec(sts).securityContext).not.toHaveProperty('fsGroup');
    });

    test('fails when there is no storage and no opt-out', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { container: DB })))
        .toBe('[test/db] a StatefulService needs per-replica storage (got volumeClaimTemplates undefined). Fix: add '
          + 'volumeClaimTemplates: [{ name: "data", size: Size.gibibytes(10), mountPath: "/var/lib/data" }], or set ephemeral: true '
          + 'if the members keep no data across restarts and only need a stable identity.');
    });

    test('fails when the storage list is empty and there is no opt-out', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { container: DB, volumeClaimTemplates: [] })))
        .toBe('[test/db] a StatefulService needs per-replica storage (got volumeClaimTemplates []). Fix: add '
          + 'volumeClaimTemplates: [{ name: "data", size: Size.gibibytes(10), mountPath: "/var/lib/data" }], or set ephemeral: true '
          + 'if the members keep no data across restarts and only need a stable identity.');
    });

    test('fails when ephemeral is combined with storage', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { ...BASE, ephemeral: true })))
        .toBe('[test/db] ephemeral: true contradicts the 1 volumeClaimTemplates given. Fix: drop one of them.');
    });

    test('fails when a storage size is 0', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { container: DB, volumeClaimTemplates: [{ ...DATA, size: Size.gibibytes(0) }] })))
        .toBe('[test/db] volumeClaimTemplates "data" size must be > 0 (got "0Gi"). Fix: use e.g. Size.gibibytes(10).');
    });

    test('fails when two claim templates share a name', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { container: DB, volumeClaimTemplates: [DATA, { ...DATA, mountPath: '/other' }] })))
        .toBe('[test/db] volumeClaimTemplates name "data" is used twice. Fix: give every volume claim template its own name.');
    });

    test('fails when accessModes is empty', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { container: DB, volumeClaimTemplates: [{ ...DATA, accessModes: [] }] })))
        .toBe('[test/db] volumeClaimTemplates "data" accessModes is empty, which Kubernetes rejects. Fix: omit it (ReadWriteOnce) '
          + 'or list at least one StorageAccessMode.');
    });

    test('fails when a mount path is relative', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { container: DB, volumeClaimTemplates: [{ ...DATA, mountPath: 'data' }] })))
        .toBe('[test/db] volumeClaimTemplates "data" mountPath must be an absolute path without \'..\' segments (got "data"). '
          + 'Fix: use a path like "/var/log/app".');
    });

    test('fails when a claim retention policy is given without storage', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { container: DB, ephemeral: true, kubernetesVersion: KubernetesVersion.V1_32, claimRetention: {} })))
        .toBe('[test/db] claimRetention was given, but there are no volumeClaimTemplates whose claims it could keep or delete. '
          + 'Fix: drop claimRetention.');
    });

    test('fails when scaling to 0 would delete every member\'s claims', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', {
        ...BASE, replicas: 0, kubernetesVersion: KubernetesVersion.V1_32, claimRetention: { whenScaled: ClaimRetention.DELETE },
      })))
        .toBe('[test/db] replicas 0 with claimRetention.whenScaled DELETE would delete the claims, and so the data, of every member. '
          + 'Fix: keep whenScaled RETAIN to stop the members temporarily, or delete the StatefulService to remove it.');
    });
  });

  describe('stable identity', () => {
    test('POD_NAME, POD_NAMESPACE and PEERS, completed at runtime when the namespace is unknown', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      const db = new StatefulService(chart, 'db', { ...BASE, replicas: 3 });
      // THEN
      const sts = db.statefulSet.name;
      const headless = db.headlessService.name;
      const peer = (i: number) => `${sts}-${i}.${headless}.$(POD_NAMESPACE).svc.cluster.local`;
      expect(env(synth(chart))).toEqual([
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'PEERS', value: [peer(0), peer(1), peer(2)].join(',') },
      ]);
    });

    test('PEERS is fully written out when the chart\'s namespace is known', () => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'data' });
      const db = new StatefulService(chart, 'db', { ...BASE, replicas: 2 });
      const peers = env(synth(chart)).find((e: any) => e.name === 'PEERS').value;
      expect(peers).toBe(db.memberHosts.join(','));
      expect(db.memberHosts).toEqual([0, 1].map(i => `${db.statefulSet.name}-${i}.${db.headlessService.name}.data.svc.cluster.local`));
    });

    test('user env vars come first, so the identity vars never shadow them', () => {
      const chart = newChart();
      new StatefulService(chart, 'db', { ...BASE, container: { ...DB, envVariables: { PGDATA: kplus.EnvValue.fromValue('/var/lib/postgresql/data/pg') } } });
      expect(env(synth(chart)).map((e: any) => e.name)).toEqual(['PGDATA', 'POD_NAME', 'POD_NAMESPACE', 'PEERS']);
    });

    test('fails when the main container sets an identity variable itself', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', {
        ...BASE, container: { ...DB, envVariables: { PEERS: kplus.EnvValue.fromValue('a,b') } },
      }))).toBe('[test/db] env var PEERS is set on the main container, but a StatefulService sets it itself (POD_NAME is the '
        + 'member\'s stable name, POD_NAMESPACE its namespace, PEERS the DNS names of all members). Fix: remove it from '
        + 'container.envVariables.');
    });

    test('fails when the StatefulSet name is too long for its members\' revision label', () => {
      const chart = new Chart(Testing.app(), 'a-rather-long-chart-name-for-the-inventory-application');
      expect(errorOf(() => new StatefulService(chart, 'database', BASE))).toMatch(
        /^\[a-rather-long-chart-name-for-the-inventory-application\/database\] the StatefulSet name "[a-z0-9-]+" has \d+ characters; Kubernetes derives the controller-revision-hash label of every member from it, which fails above 52 characters, so no member would start\. Fix: choose a shorter name, or shorten the chart name or the construct ids on the path to this StatefulService\.$/);
    });
  });

  describe('names', () => {
    test('default names stay derived from the construct path', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      const db = new StatefulService(chart, 'db', { ...BASE, clientService: {} });
      // THEN
      expect(db.statefulSet.name).toMatch(/^test-db-c8[0-9a-f]{6}$/);
      expect(db.headlessService.name).toMatch(/^test-db-headless-c8[0-9a-f]{6}$/);
      expect(db.service!.name).toMatch(/^test-db-service-c8[0-9a-f]{6}$/);
    });

    test('name names the StatefulSet, its headless Service, and the read Service "<name>-read"', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      new StatefulService(chart, 'db', { ...BASE, name: 'mysql', clientService: {} });
      // THEN
      const manifests = synth(chart);
      expect(only(manifests, 'StatefulSet').metadata.name).toBe('mysql');
      expect(only(manifests, 'StatefulSet').spec.serviceName).toBe('mysql');
      expect(manifests.filter(m => m.kind === 'Service').map(m => m.metadata.name)).toEqual(['mysql', 'mysql-read']);
    });

    test('the headless and read Services can be named on their own: web-0.nginx', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      const web = new StatefulService(chart, 'web', {
        ...BASE, name: 'web', headlessServiceName: 'nginx', replicas: 2, clientService: { name: 'nginx-lb' },
      });
      // THEN
      expect(web.memberHosts).toEqual(['web-0.nginx', 'web-1.nginx']);
      expect(web.readEndpoint.host).toBe('nginx-lb');
      expect(env(synth(chart)).find((v: any) => v.name === 'PEERS').value).toBe('web-0.nginx.$(POD_NAMESPACE).svc.cluster.local,'
        + 'web-1.nginx.$(POD_NAMESPACE).svc.cluster.local');
    });

    test('fails when the name is not a DNS subdomain', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { ...BASE, name: 'My_DB' }))).toBe('[test/db] name must be a DNS '
        + 'subdomain: dot-separated lowercase letters, digits and \'-\', at most 253 characters (got "My_DB"). Fix: use a name like "web".');
    });

    test('fails when the highest member\'s hostname is not a DNS label', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { ...BASE, name: 'db.v1', headlessServiceName: 'db', replicas: 3 })))
        .toBe('[test/db] the hostname of member 2, "db.v1-2", is not a DNS label (lowercase letters, digits and \'-\', at most 63 '
          + 'characters, no dots), so the member would get no stable DNS name. Fix: choose a StatefulSet name without dots that '
          + 'leaves room for "-2" within 63 characters (name: "db").');
    });

    test('fails when the headless Service name is not a DNS-1035 label', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { ...BASE, headlessServiceName: '1db' }))).toBe('[test/db] '
        + 'headlessServiceName must be a DNS-1035 label: lowercase letters, digits and \'-\', starting with a letter and ending '
        + 'with a letter or digit, at most 63 characters (got "1db"). Fix: use a name like "web".');
    });

    test('fails when the name the headless Service takes from name is not a DNS-1035 label', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { ...BASE, name: '9db' }))).toBe('[test/db] '
        + 'the name headlessServiceName takes from name when it is not set must be a DNS-1035 label: lowercase letters, digits '
        + 'and \'-\', starting with a letter and ending with a letter or digit, at most 63 characters (got "9db"). '
        + 'Fix: use a name like "web".');
    });
  });

  describe('as an endpoint', () => {
    test('connecting to the service itself reaches the primary, member 0, never the whole set', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      const db = new StatefulService(chart, 'db', { ...BASE, replicas: 3, scheme: 'postgres', clientService: { port: 15432 } });
      // THEN
      expect(db.host).toBe(`${db.statefulSet.name}-0.${db.headlessService.name}`);
      expect(db.host).toBe(db.primary.host);
      expect(db.port).toBe(5432);
      expect(db.url).toBe(`postgres://${db.statefulSet.name}-0.${db.headlessService.name}:5432`);
    });

    test('primary, allMembers and readEndpoint are distinct endpoints, fully qualified when the namespace is known', () => {
      // GIVEN
      const chart = new Chart(Testing.app(), 'test', { namespace: 'data' });
      // WHEN
      const db = new StatefulService(chart, 'db', {
        ...BASE, name: 'mysql', replicas: 3, clientService: { port: 13306 }, scheme: 'mysql',
      });
      // THEN
      expect(db.primary.url).toBe('mysql://mysql-0.mysql.data.svc.cluster.local:5432');
      expect(db.allMembers.url).toBe('mysql://mysql.data.svc.cluster.local:5432');
      expect(db.readEndpoint.url).toBe('mysql://mysql-read.data.svc.cluster.local:13306');
      expect(db.member(2).host).toBe('mysql-2.mysql.data.svc.cluster.local');
    });

    test('a connection to the primary and one to the read Service render their own env vars', () => {
      // GIVEN
      const chart = new Chart(Testing.app(), 'test', { namespace: 'blog' });
      const db = new StatefulService(chart, 'db', { ...BASE, name: 'mysql', clientService: {} });
      const app = new StatelessService(chart, 'app', { container: { image: 'busybox:1.36.1', securityContext: { user: 10001 } } });
      // WHEN
      app.connect(db, { envPrefix: 'DB' });
      app.connect(db.readEndpoint, { envPrefix: 'DB_READ' });
      // THEN
      const vars = podSpec(only(synth(chart), 'Deployment')).containers[0].env;
      expect(vars.filter((v: any) => v.name.endsWith('_HOST'))).toEqual([
        { name: 'DB_HOST', value: 'mysql-0.mysql.blog.svc.cluster.local' },
        { name: 'DB_READ_HOST', value: 'mysql-read.blog.svc.cluster.local' },
      ]);
    });

    test('fails when the read endpoint is used without a read Service', () => {
      const chart = newChart();
      const db = new StatefulService(chart, 'db', BASE);
      expect(errorOf(() => db.readEndpoint)).toBe('[test/db] readEndpoint was used, but this StatefulService has no read Service '
        + '(got clientService undefined). Fix: set clientService: { name: "db-read" }, or connect to primary or allMembers.');
    });

    test('each member is an endpoint with its stable name and the container port', () => {
      // GIVEN
      const chart = new Chart(Testing.app(), 'test', { namespace: 'data' });
      const db = new StatefulService(chart, 'db', { ...BASE, replicas: 3, clientService: { port: 15432 }, scheme: 'postgres' });
      // WHEN
      const primary = db.member(0);
      // THEN
      expect(primary.host).toBe(`${db.statefulSet.name}-0.${db.headlessService.name}.data.svc.cluster.local`);
      expect(primary.port).toBe(5432);
      expect(primary.url).toBe(`postgres://${primary.host}:5432`);
    });

    test('members are namespace-relative when the namespace is unknown', () => {
      const chart = newChart();
      const db = new StatefulService(chart, 'db', { ...BASE, replicas: 2 });
      expect(db.member(1).host).toBe(`${db.statefulSet.name}-1.${db.headlessService.name}`);
    });

    test('another workload connects to it by reference', () => {
      // GIVEN
      const chart = newChart();
      const db = new StatefulService(chart, 'db', BASE);
      const app = new StatelessService(chart, 'app', { container: { image: 'busybox:1.36.1', securityContext: { user: 10001 } } });
      // WHEN
      app.connect(db.member(0), { envPrefix: 'PRIMARY' });
      // THEN
      const deployment = only(synth(chart), 'Deployment');
      expect(podSpec(deployment).containers[0].env[0]).toEqual({ name: 'PRIMARY_HOST', value: db.member(0).host });
    });

    test('fails when the member ordinal is not below replicas', () => {
      const chart = newChart();
      const db = new StatefulService(chart, 'db', { ...BASE, replicas: 3 });
      expect(errorOf(() => db.member(3))).toBe('[test/db] member ordinal must be an integer from 0 to 2 (got 3), because this '
        + 'StatefulService has 3 replicas. Fix: use an ordinal below replicas, or raise replicas.');
    });
  });

  describe('replicas, pod management and updates', () => {
    test('replicas, parallel pod management and a partitioned rolling update', () => {
      // GIVEN
      const chart = newChart();
      // WHEN a canary on the highest ordinal only
      new StatefulService(chart, 'db', { ...BASE, replicas: 5, podManagementPolicy: kplus.PodManagementPolicy.PARALLEL, partition: 4 });
      // THEN
      const sts = only(synth(chart), 'StatefulSet');
      expect(sts.spec.replicas).toBe(5);
      expect(sts.spec.podManagementPolicy).toBe('Parallel');
      expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 4 } });
    });

    test('defaults: ordered, rolling update of every member', () => {
      const chart = newChart();
      new StatefulService(chart, 'db', BASE);
      const sts = only(synth(chart), 'StatefulSet');
      expect(sts.spec.replicas).toBe(1);
      expect(sts.spec.podManagementPolicy).toBe('OrderedReady');
      expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    });

    test('OnDelete updates', () => {
      const chart = newChart();
      new StatefulService(chart, 'db', { ...BASE, updateStrategy: StatefulUpdateStrategy.ON_DELETE });
      expect(only(synth(chart), 'StatefulSet').spec.updateStrategy).toEqual({ type: 'OnDelete' });
    });

    test('replicas: 0 stops every member', () => {
      const chart = newChart();
      const db = new StatefulService(chart, 'db', { ...BASE, replicas: 0 });
      expect(only(synth(chart), 'StatefulSet').spec.replicas).toBe(0);
      expect(db.memberHosts).toEqual([]);
    });

    test('fails when replicas < 0', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { ...BASE, replicas: -1 })))
        .toBe('[test/db] replicas must be an integer >= 0 (got -1). Fix: use the number of members (0 stops them all and keeps their claims).');
    });

    test('fails when replicas is not an integer', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { ...BASE, replicas: 1.5 })))
        .toBe('[test/db] replicas must be an integer >= 0 (got 1.5). Fix: use the number of members (0 stops them all and keeps their claims).');
    });

    test('fails when the partition is above replicas', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { ...BASE, replicas: 3, partition: 4 })))
        .toBe('[test/db] partition must be an integer from 0 to replicas (3) (got 4). Members with an ordinal >= partition are '
          + 'updated. Fix: use replicas to hold back every member, 0 to update all.');
    });

    test('fails when a partition is combined with OnDelete', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { ...BASE, partition: 1, updateStrategy: StatefulUpdateStrategy.ON_DELETE })))
        .toBe('[test/db] partition (1) only applies to StatefulUpdateStrategy.ROLLING_UPDATE (got ON_DELETE). Fix: drop one of them.');
    });
  });

  describe('PodDisruptionBudget', () => {
    test('never more than one member down', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      const db = new StatefulService(chart, 'db', { ...BASE, replicas: 3 });
      // THEN
      const manifests = synth(chart);
      const pdb = only(manifests, 'PodDisruptionBudget');
      expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: only(manifests, 'StatefulSet').spec.selector.matchLabels } });
      expect(db.disruptionBudget).toBeDefined();
    });

    test('on Kubernetes 1.31 the default budget lets unhealthy members be evicted (AlwaysAllow)', () => {
      const chart = newChart();
      new StatefulService(chart, 'db', { ...BASE, replicas: 3, kubernetesVersion: KubernetesVersion.V1_31 });
      expect(only(synth(chart), 'PodDisruptionBudget').spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
    });

    test('fails when an eviction policy is given for Kubernetes 1.30', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', {
        ...BASE,
        replicas: 3,
        kubernetesVersion: KubernetesVersion.V1_30,
        disruptionBudget: DisruptionBudget.maxUnavailable(1, { unhealthyPodEvictionPolicy: UnhealthyPodEvictionPolicy.IF_HEALTHY_BUDGET }),
      }))).toMatch(/^\[test\/db\] unhealthyPodEvictionPolicy renders unhealthyPodEvictionPolicy, which needs Kubernetes >= 1\.31 \(got kubernetesVersion 1\.30\)/);
    });

    test('minAvailable(replicas - 1) is accepted', () => {
      const chart = newChart();
      new StatefulService(chart, 'db', { ...BASE, replicas: 3, disruptionBudget: DisruptionBudget.minAvailable(2) });
      expect(only(synth(chart), 'PodDisruptionBudget').spec.minAvailable).toBe(2);
    });

    test('none() renders no budget', () => {
      const chart = newChart();
      new StatefulService(chart, 'db', { ...BASE, replicas: 3, disruptionBudget: DisruptionBudget.none() });
      expect(synth(chart).filter(m => m.kind === 'PodDisruptionBudget')).toEqual([]);
    });

    test('fails when the budget lets two members go down', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { ...BASE, replicas: 5, disruptionBudget: DisruptionBudget.maxUnavailable(2) })))
        .toBe('[test/db] disruptionBudget maxUnavailable 2 would let voluntary disruptions take 2 members down at once, but a '
          + 'StatefulService never loses more than one member at a time (quorum, replication). Fix: use '
          + 'DisruptionBudget.maxUnavailable(1), or DisruptionBudget.none() to manage disruptions yourself.');
    });

    test('fails when minAvailable lets two members go down', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { ...BASE, replicas: 5, disruptionBudget: DisruptionBudget.minAvailable(3) })))
        .toBe('[test/db] disruptionBudget minAvailable 3 would let voluntary disruptions take 2 of 5 members down at once, but a '
          + 'StatefulService never loses more than one member at a time (quorum, replication). Fix: use '
          + 'DisruptionBudget.maxUnavailable(1) (or minAvailable(4)).');
    });

    test('fails when the budget blocks every voluntary eviction', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { ...BASE, replicas: 3, disruptionBudget: DisruptionBudget.minAvailable(3) })))
        .toBe('[test/db] disruptionBudget minAvailable 3 is >= the replica count 3, which would block every voluntary eviction '
          + '(node drains and cluster upgrades hang). Fix: use DisruptionBudget.maxUnavailable(1) or a minAvailable below 3.');
    });

    test('fails when maxUnavailable is 0', () => {
      const chart = newChart();
      expect(errorOf(() => new StatefulService(chart, 'db', { ...BASE, replicas: 3, disruptionBudget: DisruptionBudget.maxUnavailable(0) })))
        .toBe('[DisruptionBudget.maxUnavailable] count must be an integer >= 1 (got 0). Fix: use DisruptionBudget.maxUnavailable(1); 0 would block every voluntary eviction.');
    });
  });
});
