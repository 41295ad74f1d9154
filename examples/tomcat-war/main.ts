/**
 * tomcat-war: an init container copies a WAR into Tomcat.
 *
 * The WAR is baked into its own small artifact image (see README.md), so the
 * application and Tomcat are versioned and released independently. An
 * ArtifactInit copies sample.war out of that image into a shared emptyDir,
 * which Tomcat mounts as its webapps directory. No distributed storage is
 * involved: every Pod gets its own copy when it starts.
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ArtifactInit, PodDiagrams, StatelessService } from '../../src';

/** The numeric user Tomcat runs as (the official image has files readable by everyone). */
const TOMCAT_USER = 10001;

class TomcatWar extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    new StatelessService(this, 'tomcat', {
      replicas: 2,
      container: {
        image: 'tomcat:10.1.30-jre21',
        ports: [{ number: 8080, name: 'http' }],
        securityContext: { user: TOMCAT_USER, group: TOMCAT_USER },
        resources: {
          cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
          memory: { request: Size.mebibytes(512), limit: Size.mebibytes(768) },
        },
        readiness: kplus.Probe.fromHttpGet('/sample/', { port: 8080 }),
      },
      // The root filesystem stays read-only: Tomcat (under CATALINA_BASE) and the
      // JVM get an emptyDir for everything they write.
      writablePaths: [
        '/usr/local/tomcat/work',
        '/usr/local/tomcat/temp',
        '/usr/local/tomcat/logs',
        '/usr/local/tomcat/conf/Catalina',
        '/tmp',
      ].map(path => ({ path, sizeLimit: Size.mebibytes(256) })),
      patterns: [
        new ArtifactInit({
          name: 'sample-war',
          artifactImage: 'registry.example.com/sample-war:1.0.0',
          sourcePath: '/artifacts/sample.war',
          targetPath: '/usr/local/tomcat/webapps',
          sizeLimit: Size.mebibytes(128),
          // Tomcat expands sample.war into webapps/sample/, so the app needs write access
          readOnly: false,
        }),
      ],
    });
  }
}

const app = new App();
new TomcatWar(app, 'tomcat-war');
app.synth();
// one Markdown file of Pod diagrams per chart, next to its YAML: dist/<chart>.pods.md
PodDiagrams.writeForApp(app);
