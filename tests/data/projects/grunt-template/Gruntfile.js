/* global module, require */
module.exports = function (grunt) {
  'use strict';

  require('load-grunt-tasks')(grunt);

  var ICON_SIZES = [56, 60, 112, 128];

  grunt.initConfig({
    pkg: grunt.file.readJSON('package.json'),

    clean: {
      build: ['build', 'dist']
    },

    jshint: {
      options: { browser: true, devel: true, globals: { MozActivity: true } },
      all: ['Gruntfile.js', 'app/js/**/*.js']
    },

    copy: {
      build: {
        files: [{
          expand: true,
          cwd: 'app',
          src: ['index.html', 'img/**', 'locales/**'],
          dest: 'build/'
        }]
      }
    },

    useminPrepare: {
      html: 'app/index.html',
      options: { dest: 'build' }
    },

    usemin: {
      html: 'build/index.html'
    },

    compress: {
      dist: {
        options: { archive: 'dist/readlater-<%= pkg.version %>.zip', mode: 'zip' },
        files: [{ expand: true, cwd: 'build/', src: ['**'] }]
      }
    }
  });

  // app/manifest.webapp is a template: the version comes from package.json and
  // GRUNT_ICONS becomes the icons object for every size in ICON_SIZES.
  grunt.registerTask('manifest', 'Write build/manifest.webapp', function () {
    var pkg = grunt.config('pkg');
    var icons = {};
    ICON_SIZES.forEach(function (size) {
      icons[size] = '/img/icons/icon-' + size + '.png';
    });
    var text = grunt.template.process(grunt.file.read('app/manifest.webapp'), {
      data: { pkg: pkg }
    });
    text = text.replace('GRUNT_ICONS', JSON.stringify(icons, null, 4).replace(/\n/g, '\n  '));
    JSON.parse(text); // fail the build on a broken manifest
    grunt.file.write('build/manifest.webapp', text);
    grunt.log.ok('manifest.webapp ' + pkg.version);
  });

  grunt.registerTask('build', [
    'clean', 'jshint', 'copy', 'useminPrepare', 'concat:generated',
    'cssmin:generated', 'uglify:generated', 'usemin', 'manifest'
  ]);
  grunt.registerTask('package', ['build', 'compress']);
  grunt.registerTask('default', ['build']);
};
